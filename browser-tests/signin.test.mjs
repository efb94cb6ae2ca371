// Production sign-in end to end: `sosiaalitiedot serve` against a real OpenID provider (npm
// oidc-provider, configured like the FTN profile: oidc-provider.mjs), in Chromium. Keyboard on the
// portal's own pages, axe on every portal page met; fi and sv; a guardian acting for a child; sign
// out through the provider; the back button afterwards shows nothing personal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, axeViolations, TODAY } from './helpers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const env = {};

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function waitFor(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${seen}`)), 30000);
    const on = (chunk) => {
      seen += chunk.toString();
      if (pattern.test(seen)) { clearTimeout(timer); resolve(); }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.on('exit', (code) => reject(new Error(`${what} exited ${code}: ${seen}`)));
  });
}

before(async () => {
  const bin = process.env.SOSIAALITIEDOT_BIN;
  const dir = mkdtempSync(join(tmpdir(), 'sosiaalitiedot-signin-'));
  const key = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
  writeFileSync(join(dir, 'sign.pem'), key());
  writeFileSync(join(dir, 'enc.pem'), key());
  const db = `sqlite:${dir}/portal.db`;
  const imported = spawnSync(bin, ['import', join(HERE, '..', 'demo', 'feed.jsonl'), '--database-url', db]);
  assert.equal(imported.status, 0, imported.stderr.toString());
  const [appPort, providerPort] = [await freePort(), await freePort()];
  env.base = `http://127.0.0.1:${appPort}`;
  env.issuer = `https://127.0.0.1:${providerPort}`;
  // The provider serves https with a certificate made here; the portal trusts it as its CA file
  // (OpenSSL's SSL_CERT_FILE), the browser contexts accept it.
  const tls = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'tls-key.pem'), '-out', join(dir, 'tls-cert.pem')]);
  assert.equal(tls.status, 0, tls.stderr.toString());
  env.app = spawn(bin, ['serve', '--insecure-http', '--bind', `127.0.0.1:${appPort}`, '--today', TODAY, '--database-url', db], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      RUST_LOG: 'warn',
      SOSIAALITIEDOT__PUBLIC_URL: env.base,
      SOSIAALITIEDOT__SESSION__SECRET_KEY: 'x'.repeat(64),
      SOSIAALITIEDOT__OIDC__ISSUER: env.issuer,
      SOSIAALITIEDOT__OIDC__CLIENT_ID: 'sosiaalitiedot-local',
      SOSIAALITIEDOT__OIDC__SIGNING_KEY: join(dir, 'sign.pem'),
      SOSIAALITIEDOT__OIDC__ENCRYPTION_KEY: join(dir, 'enc.pem'),
      SOSIAALITIEDOT__AUDIT__CHAIN_KEY: 'c'.repeat(40),
      SOSIAALITIEDOT__OPERATOR__NAME: 'Testin hyvinvointialue',
      SOSIAALITIEDOT__OPERATOR__DPO_EMAIL: 'tietosuoja@example.fi',
      SSL_CERT_FILE: join(dir, 'tls-cert.pem'),
    },
  });
  await waitFor(env.app, /serving on port/, 'the portal');
  // The provider knows the client's public keys from the portal's own JWKS.
  const jwks = await (await fetch(`${env.base}/.well-known/jwks.json`)).text();
  writeFileSync(join(dir, 'client-jwks.json'), jwks);
  env.provider = spawn(process.execPath, [join(HERE, 'oidc-provider.mjs'), String(providerPort), 'sosiaalitiedot-local', env.base, join(dir, 'client-jwks.json'), join(dir, 'tls-cert.pem'), join(dir, 'tls-key.pem')], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitFor(env.provider, /PROVIDER READY/, 'the provider');
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  env.app?.kill('SIGTERM');
  env.provider?.kill('SIGTERM');
});

async function checkAxe(page, what) {
  assert.deepEqual(await axeViolations(page), [], what);
}

/** From the portal's front page to the provider and back, signed in as `who`. */
async function signInThroughProvider(page, lang, who) {
  await page.goto(`${env.base}/${lang}/`);
  await checkAxe(page, `front page ${lang}`);
  await page.focus('a.button[href$="/sign-in"]');
  await Promise.all([page.waitForURL(`${env.issuer}/**`), page.keyboard.press('Enter')]);
  await Promise.all([page.waitForURL(`${env.base}/**`), page.getByRole('button', { name: `Tunnistaudu: ${who}` }).click()]);
}

/** Signs out with the keyboard: the portal's page posts to the provider's logout (its own script),
 * where `answer` is clicked on the provider's confirmation page; back on the signed-out page. */
async function signOutAtProvider(page, answer) {
  await page.focus('form[action$="/sign-out"] button');
  await Promise.all([page.waitForURL(`${env.issuer}/session/end**`), page.keyboard.press('Enter')]);
  await Promise.all([page.waitForURL(`${env.base}/fi/signed-out**`), page.getByRole('button', { name: answer }).click()]);
}

/** Every readable form of a URL: itself decoded, and each dot-separated part of each parameter
 * base64url-decoded (a JWT or a JWE travels that way). */
function decodedForms(url) {
  const out = [decodeURIComponent(url)];
  for (const [, value] of new URL(url).searchParams) {
    for (const part of value.split('.')) {
      try { out.push(Buffer.from(part, 'base64url').toString('utf8')); } catch { /* not base64 */ }
    }
  }
  return out.join('\n');
}

test('a citizen signs in through the provider in Finnish, sees their records and signs out there too', async () => {
  const context = await env.browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  // Every address the browser is sent to, for the check at the end: nothing personal in any of them.
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await signInThroughProvider(page, 'fi', 'Aino Marjatta Virtanen');
  assert.match(await page.textContent('h1'), /^Hei, Aino!$/);
  await checkAxe(page, 'signed-in front page');
  await page.goto(`${env.base}/fi/records/older_people`);
  assert.equal(await page.textContent('h1'), 'Iäkkäiden palvelut');
  assert.ok(await page.locator('text=Päätös säännöllisestä kotihoidosta').count() > 0);
  await checkAxe(page, 'service task page');
  // Her own sign-ins, and when this session ends.
  await page.goto(`${env.base}/fi/sessions`);
  assert.equal(await page.locator('tr.session-current').count(), 1);
  assert.match(await page.textContent('.session-ends'), /^Istuntosi päättyy klo \d{1,2}\.\d{2}/);
  await checkAxe(page, 'sessions page');
  // Sign out: the session ends here; the portal's page then POSTs the signed ID token to the
  // provider's end_session_endpoint (RP-Initiated Logout 1.0 §2), and the provider — unmodified —
  // asks whether to end its own session too, then returns to the signed-out page.
  await signOutAtProvider(page, 'Yes, sign me out');
  assert.equal(await page.textContent('h1'), 'Olet kirjautunut ulos');
  await checkAxe(page, 'signed-out page');
  // The provider's session has ended: even with the portal's marker cleared (so that nothing asks
  // it for prompt=login), signing in again on this browser shows its login page.
  await context.clearCookies({ name: 'sosiaalitiedot-reauth' });
  await page.goto(`${env.base}/fi/sign-in`);
  assert.ok(page.url().startsWith(`${env.issuer}/interaction/`), `the provider's login page, not straight back in: ${page.url()}`);
  assert.equal(await page.getByRole('button', { name: 'Tunnistaudu: Aino Marjatta Virtanen' }).count(), 1);
  // Back to the records: nothing personal, only the way to sign in.
  await page.goBack();
  await page.goto(`${env.base}/fi/records/older_people`);
  assert.equal(await page.locator('text=Päätös säännöllisestä kotihoidosta').count(), 0);
  assert.ok(!page.url().includes('/records/'), page.url());
  assert.ok(requested.length > 10);
  for (const url of requested) {
    const text = decodedForms(url);
    for (const personal of ['170458-9028', 'Aino', 'Virtanen']) {
      assert.ok(!text.includes(personal), `${personal} in an address the browser was sent to: ${url}`);
    }
  }
  await context.close();
});

test('after a sign-out whose provider session was kept, the next sign-in still authenticates again', async () => {
  const context = await env.browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await signInThroughProvider(page, 'fi', 'Aino Marjatta Virtanen');
  // The person declines to end the provider's session: the portal's own marker makes the next
  // sign-in on this browser ask the provider to authenticate again (prompt=login).
  await signOutAtProvider(page, 'No, stay signed in');
  await page.goto(`${env.base}/fi/sign-in`);
  assert.ok(page.url().startsWith(`${env.issuer}/interaction/`), `the provider's login page: ${page.url()}`);
  await Promise.all([page.waitForURL(`${env.base}/**`), page.getByRole('button', { name: 'Tunnistaudu: Aino Marjatta Virtanen' }).click()]);
  assert.match(await page.textContent('h1'), /^Hei, Aino!$/);
  // Signed in again, the marker is gone: the sign-in after the next sign-out is asked anew.
  assert.equal((await context.cookies()).filter((c) => c.name === 'sosiaalitiedot-reauth').length, 0);
  await context.close();
});

test('in Swedish, a guardian signs in and acts for a child', async () => {
  const context = await env.browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await signInThroughProvider(page, 'sv', 'Laura Helena Nieminen');
  assert.ok(page.url().endsWith('/sv/acting-for'), page.url());
  await checkAxe(page, 'acting-for page sv');
  const card = page.locator('li.choice', { has: page.locator('.person-name', { hasText: 'Eetu' }) });
  await card.locator('button').focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('#acting-banner-text'), /Eetu Matias Nieminen/);
  await checkAxe(page, 'child records sv');
  await context.close();
});

test('a person the archive does not know signs in and sees the empty state', async () => {
  const context = await env.browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await signInThroughProvider(page, 'fi', 'Veera Vieras');
  await page.goto(`${env.base}/fi/records`);
  assert.ok(await page.locator('text=Tietoja ei ole').count() > 0);
  await checkAxe(page, 'empty records');
  await context.close();
});
