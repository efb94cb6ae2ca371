// The session warning (static/session.js; WCAG 2.2.1, 2.4.3, 4.1.3): it appears in place without
// moving focus or scrolling while the person is active and is announced in a live region; when they
// are idle it opens as a modal dialog; Escape or "Jatka istuntoa" continues the session and focus
// returns to where it was; once the session has ended it says so with the way to sign in again.
// The page's end time is moved near (the response is rewritten) so that the test takes seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, signIn, axeViolations } from './helpers.mjs';

const env = useServerAndBrowser();

/** Opens /fi/records with the session ending `inSeconds` from now and idleness after `idleMs`. */
async function pageEndingSoon(inSeconds, idleMs) {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 600 } });
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta');
  await page.route('**/fi/records', async (route) => {
    const response = await route.fetch();
    const expires = Math.floor(Date.now() / 1000) + inSeconds;
    const body = (await response.text())
      .replace(/data-expires="\d+"/, `data-expires="${expires}"`)
      .replace('id="session-timeout"', `id="session-timeout" data-idle-ms="${idleMs}"`);
    await route.fulfill({ response, body });
  });
  await page.goto(`${env.server.base}/fi/records`);
  return { context, page };
}

const focused = (page) => page.evaluate(() => document.activeElement && (document.activeElement.getAttribute('href') || document.activeElement.textContent));

test('while the person is active the warning appears in place, is announced, and moves neither focus nor scroll', async () => {
  const { context, page } = await pageEndingSoon(123, 60000);
  await page.focus('main a');
  const before = await focused(page);
  const scroll = await page.evaluate(() => window.scrollY);
  for (let i = 0; i < 8; i++) { await page.keyboard.press('Shift'); await page.waitForTimeout(500); }
  await page.waitForSelector('.session-warning', { timeout: 10000 });
  assert.equal(await page.locator('dialog[open]').count(), 0, 'no dialog while active');
  assert.equal(await focused(page), before, 'focus stays');
  assert.equal(await page.evaluate(() => window.scrollY), scroll, 'no scroll');
  assert.match(await page.textContent('#session-timeout [role=status]'), /Istuntosi päättyy pian/);
  assert.deepEqual(await axeViolations(page), [], 'page with the warning');
  // Escape continues the session; focus is where it was.
  await page.keyboard.press('Escape');
  await page.waitForSelector('.session-warning', { state: 'detached', timeout: 5000 });
  assert.equal(await focused(page), before);
  assert.match(await page.textContent('#session-timeout [role=status]'), /Istuntoa jatkettiin/);
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

test('once the session has ended the page says so, with the way to sign in again', async () => {
  const { context, page } = await pageEndingSoon(2, 60000);
  await page.waitForSelector('#session-ended-text', { timeout: 10000 });
  assert.match(await page.textContent('#session-ended-text'), /^Istuntosi päättyi/);
  assert.equal(await page.getAttribute('#session-timeout .session-warning a', 'href'), '/fi/sign-in?return=%2Ffi%2Frecords');
  assert.match(await page.textContent('#session-timeout [role=status]'), /Istuntosi päättyi/);
  await context.close();
});
