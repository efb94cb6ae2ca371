// Acting for others in a real browser: the person switcher and the acting-for banner pass axe in
// fi, sv and en; a guardian opens the child's document with the keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, signIn, axeViolations, tabTo, tabToCardButton } from './helpers.mjs';

const env = useServerAndBrowser();

for (const lang of ['fi', 'sv', 'en']) {
  test(`switcher, banner and who-acted pages have no axe violations in ${lang}`, async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.server.base, 'Laura Helena', lang);
    assert.equal(new URL(page.url()).pathname, `/${lang}/acting-for`);
    assert.deepEqual(await axeViolations(page), [], 'acting-for page');
    const card = page.locator('li.choice', { has: page.locator('.person-name', { hasText: 'Eetu' }) });
    await Promise.all([page.waitForNavigation(), card.locator('button').click()]);
    assert.match(await page.textContent('#acting-banner-text'), /Eetu Matias Nieminen/);
    assert.deepEqual(await axeViolations(page), [], 'records with the banner');
    await page.goto(`${env.server.base}/${lang}/records/child_welfare`);
    assert.deepEqual(await axeViolations(page), [], 'task page with the banner');
    await page.goto(`${env.server.base}/${lang}/`);
    assert.deepEqual(await axeViolations(page), [], 'front page with the banner');
    await context.close();

    const child = await env.browser.newContext();
    const childPage = await child.newPage();
    await signIn(childPage, env.server.base, 'Eetu Matias', lang);
    await childPage.goto(`${env.server.base}/${lang}/acted-for-me`);
    assert.ok(await childPage.locator('tr.acted-row').count() >= 1);
    assert.deepEqual(await axeViolations(childPage), [], 'who acted for me');
    await child.close();
  });
}

test('a guardian opens the child\'s document with the keyboard alone', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/fi/sign-in`);
  await tabToCardButton(page, 'li.person-card', 'Laura Helena');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/fi/acting-for');
  await tabToCardButton(page, 'li.choice', 'Sofia');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('#acting-banner-text'), /Asioit huoltajana: Sofia Aurora Nieminen/);
  await tabTo(page, 'a[href="/fi/records/families_with_children"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await tabTo(page, '.doc-title a');
  const title = (await page.evaluate(() => document.activeElement.textContent)).trim();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal((await page.textContent('h1')).trim(), title);
  assert.match(await page.textContent('#acting-banner-text'), /Sofia Aurora Nieminen/);
  // Switch back to own data from the banner.
  await tabTo(page, 'a.acting-switch');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await tabToCardButton(page, 'li.choice', 'Laura Helena');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('#acting-banner-text'), /Omat tietosi: Laura Helena Nieminen/);
  await context.close();
});
