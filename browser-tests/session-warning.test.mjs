// The session warning (static/session.js; WCAG 2.2.1, 2.4.3, 2.4.11, 4.1.3): while the person is
// active it appears in a region fixed at the top of the viewport without moving focus or scrolling,
// and is announced in a live region; when they are idle it opens as a modal dialog; Escape or "Jatka
// istuntoa" continues the session and focus returns to where it was. Before declaring the end the
// page asks the server, so another tab's use counts; once the session has ended the message and the
// way to sign in again are on screen, alone.
// The page's end time is moved near (the response is rewritten) so that the test takes seconds;
// where the session must really end, it is ended at the server (signed out in another tab).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, signIn, axeViolations } from './helpers.mjs';

const env = useServerAndBrowser();

/** Opens `path` with the session ending `inSeconds` from now (on the page) and idleness after `idleMs`. */
async function pageEndingSoon(inSeconds, idleMs, { path = '/fi/records', viewport = { width: 1000, height: 600 } } = {}) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta');
  const url = new URL(path, env.server.base);
  await page.route((u) => u.pathname === url.pathname && u.search === url.search, async (route) => {
    const response = await route.fetch();
    const expires = Math.floor(Date.now() / 1000) + inSeconds;
    const body = (await response.text())
      .replace(/data-expires="\d+"/, `data-expires="${expires}"`)
      .replace('id="session-timeout"', `id="session-timeout" data-idle-ms="${idleMs}"`);
    await route.fulfill({ response, body });
  });
  await page.goto(url.href);
  return { context, page };
}

/** Ends the session at the server, as signing out in another tab does. */
async function signOutInAnotherTab(context) {
  const other = await context.newPage();
  await other.goto(`${env.server.base}/fi/help`);
  await Promise.all([other.waitForNavigation(), other.locator('.user-box button[type=submit]').click()]);
  await other.close();
}

/** Whether the element is wholly inside the viewport. */
const onScreen = (page, selector) => page.evaluate((s) => {
  const el = document.querySelector(s);
  if (!el) return false;
  const r = el.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
}, selector);

const focused = (page) => page.evaluate(() => document.activeElement && (document.activeElement.getAttribute('href') || document.activeElement.textContent));

test('while the person is active on a long page the warning is on screen, is announced, and moves neither focus nor scroll', async () => {
  const { context, page } = await pageEndingSoon(123, 60000, {
    path: '/fi/documents/1.2.246.10.2000001.18.2026.00002', viewport: { width: 320, height: 640 },
  });
  assert.ok(await page.evaluate(() => document.documentElement.scrollHeight > 2 * window.innerHeight), 'a long page');
  // Reading in the middle of the page, a link focused there.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2 - window.innerHeight / 2));
  await page.evaluate(() => {
    const links = [...document.querySelectorAll('main a')];
    const mid = links.find((a) => { const r = a.getBoundingClientRect(); return r.top > 250 && r.bottom < window.innerHeight; });
    (mid || links[0]).focus({ preventScroll: true });
  });
  const before = await focused(page);
  const scroll = await page.evaluate(() => window.scrollY);
  for (let i = 0; i < 8; i++) { await page.keyboard.press('Shift'); await page.waitForTimeout(500); }
  await page.waitForSelector('.session-notice', { timeout: 10000 });
  assert.equal(await page.locator('dialog[open]').count(), 0, 'no dialog while active');
  assert.equal(await focused(page), before, 'focus stays');
  assert.equal(await page.evaluate(() => window.scrollY), scroll, 'no scroll');
  assert.ok(await onScreen(page, '#session-warning-text'), 'the warning is inside the viewport');
  assert.ok(await onScreen(page, '.session-notice button'), '"Jatka istuntoa" is inside the viewport');
  assert.equal(await page.getAttribute('.session-notice button', 'aria-keyshortcuts'), 'Escape');
  assert.match(await page.textContent('#session-warning-text'), /Esc-näppäimellä/);
  assert.match(await page.textContent('#session-timeout [role=status]'), /Istuntosi päättyy pian/);
  assert.deepEqual(await axeViolations(page), [], 'page with the warning');
  // Escape continues the session (one key, wherever focus is); focus is where it was.
  await page.keyboard.press('Escape');
  await page.waitForSelector('.session-notice', { state: 'detached', timeout: 5000 });
  assert.equal(await focused(page), before);
  assert.match(await page.textContent('#session-timeout [role=status]'), /Istuntoa jatkettiin/);
  await context.close();

  // One click continues it too.
  const again = await pageEndingSoon(123, 60000, { path: '/fi/data-use', viewport: { width: 320, height: 640 } });
  await again.page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await again.page.waitForSelector('.session-notice', { timeout: 10000 });
  assert.ok(await onScreen(again.page, '.session-notice button'), 'at the end of the data-use page');
  await again.page.click('.session-notice button');
  await again.page.waitForSelector('.session-notice', { state: 'detached', timeout: 5000 });
  await again.context.close();
});

test('a focused element is not hidden under the fixed warning', async () => {
  const { context, page } = await pageEndingSoon(121, 60000, { path: '/fi/data-use', viewport: { width: 320, height: 640 } });
  await page.waitForSelector('.session-notice', { timeout: 10000 });
  // Tabbing backwards from the bottom brings elements up under the top of the viewport.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.focus('.site-footer a');
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Shift+Tab');
    const hidden = await page.evaluate(() => {
      const el = document.activeElement;
      const notice = document.querySelector('.session-notice');
      if (!el || !notice || notice.contains(el)) return false;
      return el.getBoundingClientRect().top < notice.getBoundingClientRect().bottom;
    });
    assert.equal(hidden, false, `press ${i + 1}: the focused element is under the warning`);
  }
  await context.close();
});

test('when the person is idle it is a modal dialog; continuing returns focus to where it was', async () => {
  const { context, page } = await pageEndingSoon(124, 1000);
  await page.focus('main a');
  const before = await focused(page);
  await page.waitForSelector('dialog.session-dialog[open]', { timeout: 10000 });
  assert.ok(await page.evaluate(() => document.querySelector('dialog.session-dialog').contains(document.activeElement)), 'focus in the dialog');
  assert.deepEqual(await axeViolations(page), [], 'page with the dialog');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog.session-dialog', { state: 'detached', timeout: 5000 });
  assert.equal(await focused(page), before, 'Escape: focus back');
  await context.close();

  const second = await pageEndingSoon(124, 1000);
  await second.page.focus('main a');
  const was = await focused(second.page);
  await second.page.waitForSelector('dialog.session-dialog[open]', { timeout: 10000 });
  await second.page.keyboard.press('Enter'); // the focused "Jatka istuntoa"
  await second.page.waitForSelector('dialog.session-dialog', { state: 'detached', timeout: 5000 });
  assert.equal(await focused(second.page), was, 'Jatka istuntoa: focus back');
  await second.context.close();
});

test('once the session has ended the page says so on screen, alone, with the way back to the same page', async () => {
  const { context, page } = await pageEndingSoon(3, 60000, { path: '/fi/records/older_people?year=2025', viewport: { width: 320, height: 640 } });
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await signOutInAnotherTab(context);
  await page.waitForSelector('#session-ended-text', { timeout: 10000 });
  assert.match(await page.textContent('#session-ended-text'), /^Istuntosi päättyi/);
  assert.ok(await onScreen(page, '#session-ended-text'), 'the message is on screen');
  assert.equal(await page.getAttribute('.session-notice a', 'href'), '/fi/sign-in?return=%2Ffi%2Frecords%2Folder_people%3Fyear%3D2025');
  assert.match(await page.textContent('#session-timeout [role=status]'), /Istuntosi päättyi/);
  assert.equal(await page.isVisible('.session-ends'), false, 'the old end time is gone');
  assert.deepEqual(await axeViolations(page), [], 'page with the ended message');
  await context.close();
});

test('when the session ends while the idle dialog is open, the message and the focused link are on screen, alone', async () => {
  const { context, page } = await pageEndingSoon(6, 500, { path: '/fi/documents/1.2.246.10.2000001.18.2026.00002', viewport: { width: 320, height: 640 } });
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  // The warning time has passed at load: the idle check sees no input for half a second.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 700)));
  await signOutInAnotherTab(context);
  await page.waitForSelector('#session-ended-text', { timeout: 15000 });
  assert.equal(await page.locator('dialog[open]').count(), 0, 'the dialog is closed');
  assert.equal(await page.locator('.session-notice').count(), 1, 'one message');
  assert.ok(await onScreen(page, '#session-ended-text'), 'the message is on screen');
  assert.ok(await page.evaluate(() => document.activeElement.matches('.session-notice a')), 'focus on "Kirjaudu uudelleen"');
  assert.ok(await onScreen(page, '.session-notice a'), 'the focused link is on screen');
  assert.equal(await page.isVisible('.session-ends'), false, 'the old end time is gone');
  await context.close();
});

test('another tab that continued the session is believed: the page asks the server before declaring the end', async () => {
  const { context, page } = await pageEndingSoon(4, 60000);
  // Tab B is used meanwhile and continues the session at the server.
  const b = await context.newPage();
  await b.goto(`${env.server.base}/fi/help`);
  const kept = await b.evaluate(() => fetch('/fi/session/keepalive', { headers: { Accept: 'application/json' } }).then((r) => r.json()));
  await b.close();
  await page.waitForTimeout(7000);
  assert.equal(await page.locator('#session-ended-text').count(), 0, 'tab A does not declare the end');
  assert.match(await page.textContent('.session-ends'), new RegExp(`klo ${kept.ends.replace('.', '\\.')},`), 'the server\'s end time');
  // The status answer itself never extends the session.
  const status = await page.evaluate(() => fetch('/fi/session/status').then((r) => r.json()));
  assert.equal(status.expires, kept.expires);
  await context.close();
});

test('a printed page leaves out the session line', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta');
  await page.goto(`${env.server.base}/fi/documents/1.2.246.10.2000001.18.2026.00002?print=1`);
  assert.equal(await page.isVisible('.session-ends'), true, 'on screen');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('.session-ends'), false, 'in print');
  await context.close();
});
