// Sosiaalipalvelujen tiedot in a real browser: axe on every page in fi, sv and en, and the demo
// journey front page → service task → document → back with the keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, axeViolations, signIn, tabTo, horizontalOverflow } from './helpers.mjs';

const env = useServerAndBrowser();

for (const lang of ['fi', 'sv', 'en']) {
  test(`records pages have no axe violations in ${lang}`, async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.server.base, 'Aino', lang);
    const paths = [`/${lang}/records`, `/${lang}/records/older_people`, `/${lang}/records/disability`, `/${lang}/records/child_welfare`];
    for (const path of paths) {
      await page.goto(env.server.base + path);
      assert.deepEqual(await axeViolations(page), [], path);
    }
    await page.goto(`${env.server.base}/${lang}/records/older_people`);
    await page.click('.doc-title a');
    assert.deepEqual(await axeViolations(page), [], `document page ${lang}`);
    // Narrow screen (320 px): still no violations and no horizontal scrolling.
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${env.server.base}/${lang}/records/older_people`);
    assert.deepEqual(await axeViolations(page), [], `320 px ${lang}`);
    const overflow = await horizontalOverflow(page);
    assert.ok(overflow <= 1, `horizontal overflow of ${overflow}px at 320 px`);
    // 200 % text on a 640 px wide window (WCAG 1.4.4): nothing cut off or scrolled sideways.
    await page.setViewportSize({ width: 640, height: 800 });
    for (const path of [`/${lang}/records`, `/${lang}/records/older_people`]) {
      await page.goto(env.server.base + path);
      await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
      assert.ok(await horizontalOverflow(page) <= 1, `${path} overflows at 200 % text`);
    }
    await context.close();
  });
}

test('front page → service task → document → back, keyboard only', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino');
  await tabTo(page, 'main a[href="/fi/records"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.server.base}/fi/records`);
  await tabTo(page, 'a[href="/fi/records/older_people"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.server.base}/fi/records/older_people`);
  assert.equal(await page.textContent('h1'), 'Iäkkäiden palvelut');
  await tabTo(page, '.doc-title a');
  const title = (await page.evaluate(() => document.activeElement.textContent)).trim();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/fi\/documents\//);
  assert.equal((await page.textContent('h1')).trim(), title);
  await tabTo(page, 'a.back-link');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.server.base}/fi/records/older_people`);
  await context.close();
});

test('the print stylesheet prints the document and its metadata only', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino');
  await page.goto(`${env.server.base}/fi/records/older_people`);
  await page.click('.doc-title a');
  await page.emulateMedia({ media: 'print' });
  const visible = async (sel) => page.locator(sel).first().isVisible();
  assert.equal(await visible('.site-header'), false);
  assert.equal(await visible('.back-link'), false);
  assert.equal(await visible('.site-footer'), false);
  assert.equal(await visible('article.document h1'), true);
  assert.equal(await visible('.document-meta'), true);
  assert.equal(await visible('.document-section'), true);
  await context.close();
});
