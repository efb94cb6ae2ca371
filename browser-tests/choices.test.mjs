// Disclosure choices in a real browser: axe on every page and state in fi, sv and en, and the
// consent and prohibition journeys with the keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, signIn, axeViolations, tabTo, tabToCardButton, horizontalOverflow } from './helpers.mjs';

const env = useServerAndBrowser();

async function check(page, label) {
  assert.deepEqual(await axeViolations(page), [], label);
}

// People who have not acknowledged the informing, one per language (the server is shared).
const UNINFORMED = { fi: 'Laura Helena', sv: 'Tuomas', en: 'Ville' };

for (const lang of ['fi', 'sv', 'en']) {
  test(`choices pages have no axe violations in ${lang}`, async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    // The gate and the informing form with its error, for someone who has not acknowledged it.
    await signIn(page, env.server.base, UNINFORMED[lang], lang);
    if (new URL(page.url()).pathname.endsWith('/acting-for')) {
      const own = page.locator('li.choice', { has: page.locator('.person-name', { hasText: UNINFORMED[lang] }) });
      await Promise.all([page.waitForNavigation(), own.locator('button').click()]);
    }
    for (const path of ['consent', 'prohibitions', 'informing', 'data-use']) {
      await page.goto(`${env.server.base}/${lang}/${path}`);
      await check(page, `${path} before informing`);
    }
    await page.goto(`${env.server.base}/${lang}/informing`);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    assert.ok(await page.locator('#error-summary').count() === 1);
    await check(page, 'informing with an error');
    await page.check('#confirm');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    await check(page, 'informing acknowledged');
    await page.goto(`${env.server.base}/${lang}/consent/confirm?action=give`);
    await check(page, 'consent confirm');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    await check(page, 'consent given with banner');
    for (const path of ['prohibitions/new', 'prohibitions/new?step=1', 'prohibitions/new?type=registrar', 'prohibitions/new?type=document&step=2']) {
      await page.goto(`${env.server.base}/${lang}/${path}`);
      await check(page, path);
    }
    await page.goto(`${env.server.base}/${lang}/data-use?from=huomenna&to=1.1.2026`);
    await check(page, 'data use with errors');
    await context.close();

    // A guardian's read-only prohibitions and a person with data-use events and a revoke page.
    const other = await env.browser.newContext();
    const p2 = await other.newPage();
    await signIn(p2, env.server.base, 'Aino Marjatta', lang);
    await p2.goto(`${env.server.base}/${lang}/data-use`);
    await check(p2, 'data use with events');
    // 320 px wide (WCAG 1.4.10 reflow): no horizontal scrolling on the widest pages.
    await p2.setViewportSize({ width: 320, height: 800 });
    for (const path of ['data-use', 'consent', 'prohibitions', 'informing', 'acted-for-me']) {
      await p2.goto(`${env.server.base}/${lang}/${path}`);
      assert.ok(await horizontalOverflow(p2) <= 1, `${path} overflows at 320 px`);
    }
    await p2.setViewportSize({ width: 1000, height: 800 });
    const task = { fi: 'disability', sv: 'older_people', en: 'working_age' }[lang];
    await p2.goto(`${env.server.base}/${lang}/prohibitions/new?type=service_task&target=${task}`);
    await check(p2, 'prohibition check page');
    await Promise.all([p2.waitForNavigation(), p2.click('main form button[type=submit]')]);
    await check(p2, 'prohibitions with an active one');
    await p2.click('a.revoke-link');
    await p2.waitForURL(/\/revoke$/);
    await check(p2, 'revoke confirm');
    await other.close();
  });
}

test('an adult gives and revokes consent with the keyboard alone', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta');
  await page.goto(`${env.server.base}/fi/consent`);
  await tabTo(page, 'a.button[href$="action=give"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await tabTo(page, 'main form button[type=submit]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal((await page.textContent('.consent-state')).trim(), 'Luovutuslupa on annettu.');
  assert.equal(await page.locator('#success-banner').count(), 1);
  await tabTo(page, 'a.button[href$="action=revoke"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await tabTo(page, 'main form button[type=submit]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal((await page.textContent('.consent-state')).trim(), 'Luovutuslupa on peruttu.');
  await context.close();
});

test('a representative sets and revokes a prohibition with the keyboard alone', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Juha Petteri');
  await tabToCardButton(page, 'li.choice', 'Eino');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await page.goto(`${env.server.base}/fi/prohibitions`);
  await tabTo(page, 'a.button[href="/fi/prohibitions/new"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  // Continue without a choice: the error summary, then choose with the arrow keys.
  await tabTo(page, 'main form button[type=submit]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('#error-summary').count(), 1);
  await tabTo(page, 'input[name=type]');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.value), 'service_task');
  await tabTo(page, 'main form button[type=submit]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await tabTo(page, 'input[name=target]');
  await page.keyboard.press('Space');
  await tabTo(page, 'main form button[type=submit]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal((await page.textContent('.check-target')).trim(), 'Iäkkäiden palvelut');
  await tabTo(page, 'main form button[type=submit]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('.prohibitions-active .prohibition-row').count(), 1);
  await tabTo(page, 'a.revoke-link');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await tabTo(page, 'main form button[type=submit]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('.prohibitions-active .prohibition-row').count(), 0);
  assert.equal(await page.locator('.prohibitions-revoked .prohibition-row').count(), 1);
  await context.close();
});
