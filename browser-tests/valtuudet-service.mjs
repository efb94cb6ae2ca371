// A test Suomi.fi e-Authorizations service (Suomi.fi-valtuudet) for tests and local runs, written
// from the public Web API interface description: the checksum header checked on every API call
// (HMAC-SHA256 of path-and-query + " " + timestamp under the API key, timestamp within ±5 minutes),
// Web API session registration, the selection page, the OAuth code and token (HTTP Basic with the
// OAuth password), the chosen principal, the authorization query and the Authorization REST API.
// Plain node: no packages needed.
//
// Usage: node valtuudet-service.mjs PORT CLIENT_ID API_KEY OAUTH_PASSWORD [RETURN_URL]
//   PORT 0 picks a free port. RETURN_URL, when given, is the only accepted redirect_uri (the
//   portal's {public_url}/valtuudet/callback). Prints "VALTUUDET READY <base url>" when listening.
//
// The register below mirrors the demo data (test identity codes only); tests replace it and revoke
// mandates through the /test/ endpoints, which a real service of course does not have:
//   POST /test/register  [{delegate, principal, name, allowed, issues?}]  replaces the register
//   POST /test/revoke    {delegate, principal}                            DISALLOWED from now on
//   POST /test/down      {down: true|false}                              every API call answers 503
//   GET  /test/calls                                                      the calls received so far
//   POST /test/hostile   {mode: null|'other-principal'|'several'|'duplicate-key', other?}
//        a misbehaving service, for the portal's tests of what it must refuse: answers about
//        `other` instead of the principal asked for, every registered principal in the delegate
//        answer, or {"result":"DISALLOWED","result":"ALLOWED"} from both authorization APIs
import { createServer } from 'node:http';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const [portArg, clientId, apiKey, oauthPassword, returnUrl] = process.argv.slice(2);
if (!clientId || !apiKey || !oauthPassword) {
  console.error('usage: node valtuudet-service.mjs PORT CLIENT_ID API_KEY OAUTH_PASSWORD [RETURN_URL]');
  process.exit(2);
}

// delegate → principal, with the rule engine's answer for this service's issue codes.
let register = [
  // Laura Nieminen, guardian of her two children.
  { delegate: '230184-9244', principal: '140610A935L', name: 'Eetu Matias Nieminen', allowed: true },
  { delegate: '230184-9244', principal: '301116A946V', name: 'Sofia Aurora Nieminen', allowed: true },
  // Juha Korhonen holds a mandate from his father Eino.
  { delegate: '290563-979K', principal: '110236-9687', name: 'Eino Kalevi Korhonen', allowed: true },
  // Kaisa Mäkinen's mandate from Eino has ended: the rule engine says no.
  { delegate: '081269-9819', principal: '110236-9687', name: 'Eino Kalevi Korhonen', allowed: false },
  // Tuomas Laine is Venla's guardian, but Venla has a non-disclosure marking in the archive: the
  // portal's own rules refuse even this ALLOWED answer.
  { delegate: '190379-9900', principal: '210712A903D', name: 'Venla Sofia Laine', allowed: true },
  // Aino Virtanen holds a mandate from Mikael Lindqvist that the demo feed does not know of.
  { delegate: '170458-9028', principal: '020985-913X', name: 'Mikael Johannes Lindqvist', allowed: true },
];
let down = false;
let hostile = { mode: null };
const calls = [];
const sessions = new Map(); // sessionId → { delegate, userId, chosen, redirectUri }
const users = new Map(); // userId → sessionId
const codes = new Map(); // code → sessionId (once)
const tokens = new Map(); // access token → sessionId

const random = (n = 24) => randomBytes(n).toString('base64url');
const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

/** The X-AsiointivaltuudetAuthorization header: client id, timestamp within ±5 minutes, checksum. */
function checksumOk(req) {
  const header = req.headers['x-asiointivaltuudetauthorization'];
  if (typeof header !== 'string') return 'missing checksum header';
  const parts = header.split(' ');
  if (parts.length !== 3) return 'malformed checksum header';
  const [client, timestamp, sum] = parts;
  if (client !== clientId) return 'unknown client';
  const at = Date.parse(timestamp);
  if (Number.isNaN(at) || Math.abs(Date.now() - at) > 5 * 60 * 1000) return 'timestamp out of range';
  const expected = createHmac('sha256', apiKey).update(`${req.url} ${timestamp}`).digest();
  const given = Buffer.from(sum, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'wrong checksum';
  return null;
}

function bearerSession(req) {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  return m ? tokens.get(m[1]) : undefined;
}

function answer(delegate, principal, issues) {
  const entry = register.find((e) => e.delegate === delegate && e.principal === principal);
  const covers = entry && (!entry.issues || issues.every((i) => entry.issues.includes(i)));
  return entry && entry.allowed && covers && issues.length > 0 ? 'ALLOWED' : 'DISALLOWED';
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

function selectionPage(res, sessionId, lang) {
  const s = sessions.get(sessionId);
  const texts = {
    fi: { title: 'Valitse henkilö, jonka puolesta asioit', choose: 'Valitse', cancel: 'Peruuta', none: 'Sinulla ei ole valtuuksia.' },
    sv: { title: 'Välj den person du sköter ärenden för', choose: 'Välj', cancel: 'Avbryt', none: 'Du har inga fullmakter.' },
    en: { title: 'Choose the person you act for', choose: 'Choose', cancel: 'Cancel', none: 'You have no mandates.' },
  }[lang] || null;
  const t = texts || { title: 'Valitse henkilö, jonka puolesta asioit', choose: 'Valitse', cancel: 'Peruuta', none: 'Sinulla ei ole valtuuksia.' };
  const people = register.filter((e) => e.delegate === s.delegate);
  const items = people.map((p) => `<li><form method="post" action="/oauth/select"><input type="hidden" name="sessionId" value="${escapeHtml(sessionId)}"><input type="hidden" name="principal" value="${escapeHtml(p.principal)}"><button type="submit">${escapeHtml(t.choose)}: ${escapeHtml(p.name)}</button></form></li>`).join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="${texts ? lang : 'fi'}"><head><meta charset="utf-8"><title>${escapeHtml(t.title)} – Suomi.fi-valtuudet (test)</title></head><body><main><h1>${escapeHtml(t.title)}</h1>${people.length ? `<ul>${items}</ul>` : `<p>${escapeHtml(t.none)}</p>`}<form method="post" action="/oauth/select"><input type="hidden" name="sessionId" value="${escapeHtml(sessionId)}"><input type="hidden" name="cancel" value="1"><button type="submit">${escapeHtml(t.cancel)}</button></form></main></body></html>`);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname;
  try {
    if (path.startsWith('/test/')) {
      if (path === '/test/calls') return json(res, 200, calls);
      const input = JSON.parse((await body(req)) || 'null');
      if (path === '/test/register') { register = input; return json(res, 200, { ok: true }); }
      if (path === '/test/revoke') {
        for (const e of register) if (e.delegate === input.delegate && e.principal === input.principal) e.allowed = false;
        return json(res, 200, { ok: true });
      }
      if (path === '/test/down') { down = Boolean(input.down); return json(res, 200, { ok: true }); }
      if (path === '/test/hostile') { hostile = input; return json(res, 200, { ok: true }); }
      return json(res, 404, { error: 'not found' });
    }
    const call = { method: req.method, call: path.split('/').slice(0, 5).join('/'), status: 0 };
    calls.push(call);
    const reply = (status, payload) => { call.status = status; return json(res, status, payload); };
    const rawReply = (status, text) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      return res.end(text);
    };
    if (down) return reply(503, { error: 'service unavailable' });

    // The browser's part: the selection page and the choice on it (no checksum: a browser calls these).
    if (req.method === 'GET' && path === '/oauth/authorize') {
      const sessionId = users.get(url.searchParams.get('user'));
      const redirectUri = url.searchParams.get('redirect_uri');
      if (!sessionId || url.searchParams.get('client_id') !== clientId || url.searchParams.get('response_type') !== 'code'
        || !redirectUri || (returnUrl && redirectUri !== returnUrl)) {
        return reply(400, { error: 'invalid_request' });
      }
      sessions.get(sessionId).redirectUri = redirectUri;
      call.status = 200;
      return selectionPage(res, sessionId, url.searchParams.get('lang'));
    }
    if (req.method === 'POST' && path === '/oauth/select') {
      const form = new URLSearchParams(await body(req));
      const s = sessions.get(form.get('sessionId'));
      if (!s || !s.redirectUri) return reply(400, { error: 'invalid_request' });
      if (form.get('cancel')) {
        call.status = 302;
        res.writeHead(302, { location: `${s.redirectUri}?error=access_denied` });
        return res.end();
      }
      const entry = register.find((e) => e.delegate === s.delegate && e.principal === form.get('principal'));
      if (!entry) return reply(400, { error: 'invalid_request' });
      s.chosen = entry;
      const code = random();
      codes.set(code, form.get('sessionId'));
      call.status = 302;
      res.writeHead(302, { location: `${s.redirectUri}?code=${encodeURIComponent(code)}` });
      return res.end();
    }

    // The API: every call carries the checksum.
    const problem = checksumOk(req);
    if (problem) return reply(401, { error: problem });
    let m;
    if (req.method === 'GET' && (m = /^\/service\/hpa\/user\/register\/([^/]+)\/([^/]+)$/.exec(path))) {
      if (decodeURIComponent(m[1]) !== clientId || !url.searchParams.get('requestId')) return reply(400, { error: 'invalid_request' });
      const sessionId = random();
      const userId = random();
      sessions.set(sessionId, { delegate: decodeURIComponent(m[2]), userId });
      users.set(userId, sessionId);
      return reply(200, { sessionId, userId });
    }
    if (req.method === 'POST' && path === '/oauth/token') {
      const form = new URLSearchParams(await body(req));
      const param = (k) => url.searchParams.get(k) ?? form.get(k);
      const basic = Buffer.from(`${clientId}:${oauthPassword}`).toString('base64');
      if (req.headers.authorization !== `Basic ${basic}`) return reply(401, { error: 'invalid_client' });
      const sessionId = codes.get(param('code'));
      codes.delete(param('code'));
      const s = sessionId && sessions.get(sessionId);
      if (param('grant_type') !== 'authorization_code' || !s || param('redirect_uri') !== s.redirectUri) return reply(400, { error: 'invalid_grant' });
      const token = random();
      tokens.set(token, sessionId);
      return reply(200, { access_token: token, token_type: 'bearer', expires_in: 600 });
    }
    if (req.method === 'GET' && (m = /^\/service\/hpa\/api\/delegate\/([^/]+)$/.exec(path))) {
      const sessionId = decodeURIComponent(m[1]);
      if (bearerSession(req) !== sessionId) return reply(401, { error: 'invalid_token' });
      const s = sessions.get(sessionId);
      if (hostile.mode === 'several' && s.chosen) {
        return reply(200, register.filter((e) => e.delegate === s.delegate).map((e) => ({ personId: e.principal, name: e.name })));
      }
      return reply(200, s.chosen ? [{ personId: s.chosen.principal, name: s.chosen.name }] : []);
    }
    if (req.method === 'GET' && (m = /^\/service\/hpa\/api\/authorization\/([^/]+)\/([^/]+)$/.exec(path))) {
      const sessionId = decodeURIComponent(m[1]);
      if (bearerSession(req) !== sessionId) return reply(401, { error: 'invalid_token' });
      const s = sessions.get(sessionId);
      const principal = decodeURIComponent(m[2]);
      if (!s.chosen || s.chosen.principal !== principal) return reply(400, { error: 'principal not chosen' });
      if (hostile.mode === 'other-principal') return reply(200, { principalId: hostile.other, result: 'ALLOWED' });
      if (hostile.mode === 'duplicate-key') return rawReply(200, '{"principalId":"' + principal + '","result":"DISALLOWED","result":"ALLOWED"}');
      return reply(200, { principalId: principal, result: answer(s.delegate, principal, url.searchParams.getAll('issue')) });
    }
    if (req.method === 'GET' && (m = /^\/service\/rest\/hpa\/authorization\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path))) {
      if (decodeURIComponent(m[1]) !== clientId) return reply(400, { error: 'invalid_request' });
      const issues = url.searchParams.getAll('issues').flatMap((v) => v.split(',')).filter(Boolean);
      if (hostile.mode === 'duplicate-key') return rawReply(200, '{"result":"DISALLOWED","result":"ALLOWED"}');
      if (hostile.mode === 'other-principal') return reply(200, { principalId: hostile.other, result: 'ALLOWED' });
      return reply(200, { result: answer(decodeURIComponent(m[2]), decodeURIComponent(m[3]), issues) });
    }
    return reply(404, { error: 'not found' });
  } catch (e) {
    json(res, 500, { error: String(e) });
  }
});

server.listen(Number(portArg || 0), '127.0.0.1', () => {
  console.log(`VALTUUDET READY http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
