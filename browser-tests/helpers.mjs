// Shared set-up for the browser tests: a demo server on a free port with a fresh SQLite database,
// Debian's Chromium through playwright-core, and an axe-core check (WCAG 2.0–2.2 A and AA rules).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const TODAY = '2026-11-25';

/** A demo server on a fresh database; `extraFeed` (JSON Lines) is imported after the demo feed;
 * `args` and `env` are added to the command line and the environment. */
export async function startServer({ extraFeed, args = [], env = {} } = {}) {
  const bin = process.env.SOSIAALITIEDOT_BIN;
  if (!bin) throw new Error('set SOSIAALITIEDOT_BIN to the built binary');
  const dir = mkdtempSync(join(tmpdir(), 'sosiaalitiedot-browser-'));
  if (extraFeed) {
    // The demo loads its feed only into an empty database: load it here, then the extra lines.
    const url = `sqlite:${dir}/demo.db`;
    for (const input of [readFileSync(new URL('../demo/feed.jsonl', import.meta.url), 'utf8'), extraFeed]) {
      const r = spawnSync(bin, ['import', '-', '--database-url', url], { input, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
    }
  }
  const child = spawn(bin, ['demo', '--bind', '127.0.0.1:0', '--today', TODAY, '--database-url', `sqlite:${dir}/demo.db`, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn', ...env },
  });
  const base = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 30000);
    child.stderr.on('data', (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/DEMO: (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${seen}`)));
  });
  return { base, stop: () => child.kill('SIGTERM') };
}

/** The test Suomi.fi e-Authorizations service (valtuudet-service.mjs) on a free port:
 * `{ base, stop, env }`, `env` being the portal's configuration for it. */
export async function startValtuudet() {
  const [clientId, apiKey, password] = ['sosiaali', 'browser-test-api-key', 'browser-test-oauth-password'];
  const child = spawn(process.execPath, [new URL('./valtuudet-service.mjs', import.meta.url).pathname, '0', clientId, apiKey, password], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/VALTUUDET READY (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`valtuudet service exited ${code}`)));
  });
  const env = {
    SOSIAALITIEDOT__VALTUUDET__BASE_URL: base,
    SOSIAALITIEDOT__VALTUUDET__CLIENT_ID: clientId,
    SOSIAALITIEDOT__VALTUUDET__API_KEY: apiKey,
    SOSIAALITIEDOT__VALTUUDET__OAUTH_PASSWORD: password,
    SOSIAALITIEDOT__VALTUUDET__ISSUES: '["sosiaalihuollon-tiedot"]',
  };
  const control = (path, body) => fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { base, env, control, stop: () => child.kill('SIGTERM') };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs axe-core on the page; returns the violations (empty when the page passes). */
export async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** One demo server and one browser for a test file: `env.server.base`, `env.browser`. */
export function useServerAndBrowser(options = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}

/** Signs in on the demo page with the button of the person whose name contains `name`. */
export async function signIn(page, base, name, lang = 'fi') {
  await page.goto(`${base}/${lang}/sign-in`);
  const card = page.locator('li.person-card', { has: page.locator('.person-name', { hasText: name }) });
  await Promise.all([page.waitForNavigation(), card.locator('button[type=submit]').click()]);
}

/** Presses Tab until the focused element matches `selector` (at most `limit` presses). */
export async function tabTo(page, selector, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

/** Presses Tab until the focus is on the button of the card (`cardSelector`) whose name contains `name`. */
export async function tabToCardButton(page, cardSelector, name, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(([card, who]) => {
      const el = document.activeElement;
      const c = el && el.tagName === 'BUTTON' && el.closest(card);
      return !!c && c.querySelector('.person-name').textContent.includes(who);
    }, [cardSelector, name]);
    if (hit) return;
  }
  throw new Error(`could not reach the button of ${name} with Tab`);
}

/** Horizontal overflow in CSS pixels at the current viewport (0 when the page reflows). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
