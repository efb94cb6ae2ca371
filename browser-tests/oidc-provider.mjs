// A real OpenID provider for tests and local runs (npm oidc-provider), configured like the Finnish
// Trust Network profile that Suomi.fi e-Identification follows: signed request objects required,
// private_key_jwt client authentication, encrypted ID tokens and userinfo (RSA-OAEP-256 / A256GCM),
// the henkilötunnus in `urn:oid:1.2.246.21`, `acr` at loa3, and RP-initiated logout. A login page
// lists fixed test people (test identity codes only). The provider itself is unmodified: only its
// configuration and its login page are ours, as for any deployment of it; the portal conforms to
// it (RP-Initiated Logout 1.0: the signed ID token as the hint, by POST), never the other way round.
//
// Usage: node oidc-provider.mjs PORT CLIENT_ID REDIRECT_BASE CLIENT_JWKS_FILE TLS_CERT TLS_KEY
//   REDIRECT_BASE is the portal's public_url; the client's public keys are read from the file
//   (the portal's /.well-known/jwks.json as JSON); TLS_CERT and TLS_KEY (PEM) make it serve https,
//   as a real provider does. Prints "PROVIDER READY <issuer>" when listening.
//
// RP-Initiated Logout 1.0 §2: "OPs MUST support the use of the HTTP GET and POST methods" at the
// logout endpoint. oidc-provider offers POST with `enableHttpPostMethods`, which it allows only
// with `SameSite=None` session cookies (a POST from the relying party's site is cross-site), and
// those need https: hence TLS here.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import Provider, { interactionPolicy } from 'oidc-provider';

const [port, clientId, redirectBase, jwksFile, tlsCert, tlsKey] = process.argv.slice(2);
const issuer = `https://127.0.0.1:${port}`;
const clientJwks = JSON.parse(readFileSync(jwksFile, 'utf8'));

export const PEOPLE = {
  'aino': { hetu: '170458-9028', given_name: 'Aino Marjatta', family_name: 'Virtanen' },
  'laura': { hetu: '230184-9244', given_name: 'Laura Helena', family_name: 'Nieminen' },
  'veera': { hetu: '101185-903C', given_name: 'Veera', family_name: 'Vieras' },
};
const LOA3 = 'http://ftn.ficora.fi/2017/loa3';

const configuration = {
  clients: [{
    client_id: clientId,
    redirect_uris: [`${redirectBase}/auth/callback`],
    post_logout_redirect_uris: ['fi', 'sv', 'en'].map((l) => `${redirectBase}/${l}/signed-out`),
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    request_object_signing_alg: 'RS256',
    id_token_signed_response_alg: 'RS256',
    id_token_encrypted_response_alg: 'RSA-OAEP-256',
    id_token_encrypted_response_enc: 'A256GCM',
    userinfo_signed_response_alg: 'RS256',
    userinfo_encrypted_response_alg: 'RSA-OAEP-256',
    userinfo_encrypted_response_enc: 'A256GCM',
    jwks: clientJwks,
  }],
  clientBasedCORS: () => false,
  pkce: { required: () => true },
  acrValues: [LOA3, 'http://ftn.ficora.fi/2017/loa2'],
  claims: { openid: ['sub'], profile: ['given_name', 'family_name', 'urn:oid:1.2.246.21'], acr: null },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    requestObjects: { enabled: true, requireSignedRequestObject: true },
    encryption: { enabled: true },
    claimsParameter: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    userinfo: { enabled: true },
    jwtUserinfo: { enabled: true },
  },
  interactions: {
    policy: interactionPolicy.base(),
    url: (ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  async findAccount(ctx, id) {
    const p = PEOPLE[id];
    if (!p) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, given_name: p.given_name, family_name: p.family_name, 'urn:oid:1.2.246.21': p.hetu };
      },
    };
  },
  cookies: { keys: ['test-provider-cookie-key'], long: { httpOnly: true, sameSite: 'none' } },
  enableHttpPostMethods: true,
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
};

const provider = new Provider(issuer, configuration);
provider.proxy = false;

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function page(title, body) {
  return `<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

provider.use(async (ctx, next) => {
  const m = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!m) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    if (details.prompt.name === 'consent') {
      return finishConsent(ctx, details);
    }
    const buttons = Object.entries(PEOPLE).map(([id, p]) =>
      `<li><form method="post" action="/interaction/${details.uid}/login"><input type="hidden" name="who" value="${id}">` +
      `<button type="submit">Tunnistaudu: ${escape(p.given_name)} ${escape(p.family_name)}</button></form></li>`).join('');
    ctx.type = 'html';
    ctx.body = page('Testitunnistus', `<ul>${buttons}</ul>`);
    return undefined;
  }
  const raw = await new Promise((resolve) => { let d = ''; ctx.req.on('data', (c) => { d += c; }); ctx.req.on('end', () => resolve(d)); });
  const who = new URLSearchParams(raw).get('who');
  if (!PEOPLE[who]) { ctx.status = 400; ctx.body = 'unknown test person'; return undefined; }
  await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: who, acr: LOA3 } }, { mergeWithLastSubmission: false });
  return undefined;
});

async function finishConsent(ctx, details) {
  const { prompt: { details: missing }, params, session } = details;
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

createServer({ cert: readFileSync(tlsCert), key: readFileSync(tlsKey) }, provider.callback()).listen(Number(port), '127.0.0.1', () => {
  console.log(`PROVIDER READY ${issuer}`);
});
