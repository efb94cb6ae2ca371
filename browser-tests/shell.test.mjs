// The page shell and demo sign-in in a real browser: axe in every language, keyboard only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, axeViolations, signIn, tabTo } from './helpers.mjs';

const env = useServerAndBrowser();

for (const lang of ['fi', 'sv', 'en']) {
  test(`shell pages have no axe violations in ${lang}`, async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    for (const path of [`/${lang}/`, `/${lang}/sign-in`, `/${lang}/no-such-page`]) {
      await page.goto(env.server.base + path);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.deepEqual(await axeViolations(page), [], path);
    }
    await signIn(page, env.server.base, 'Aino', lang);
    assert.deepEqual(await axeViolations(page), [], `signed-in front page ${lang}`);
    await context.close();
  });
}

test('the skip link is the first stop and sign-in works with the keyboard alone', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/fi/sign-in`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#main');
  await tabTo(page, 'button[aria-describedby]');
  const who = await page.evaluate(() => document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent);
  assert.ok(who.length > 3);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal((await page.textContent('.user-name')).trim(), who.trim());
  await page.goto(`${env.server.base}/fi/`);
  assert.match(await page.textContent('h1'), new RegExp(`^Hei, ${who.trim().split(' ')[0]}!$`));
  // Sign out by keyboard too.
  await tabTo(page, '.user-box button');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('.user-name').count(), 0);
  await context.close();
});

test('the language switcher keeps the page and marks the current language', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/fi/sign-in`);
  await page.click('nav.language-switcher a[lang=sv]');
  await page.waitForURL(`${env.server.base}/sv/sign-in`);
  assert.equal(await page.getAttribute('nav.language-switcher a[aria-current]', 'lang'), 'sv');
  assert.equal(await page.textContent('h1'), 'Logga in som testperson');
  await context.close();
});
