// Acting for others through Suomi.fi e-Authorizations in a real browser, with the test service
// (valtuudet-service.mjs): the whole flow by keyboard alone, and the acting-for page and the error
// states axe-clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startValtuudet, launchBrowser, signIn, axeViolations, tabTo } from './helpers.mjs';

const env = {};
before(async () => {
  env.valtuudet = await startValtuudet();
  env.server = await startServer({ args: ['--insecure-http'], env: env.valtuudet.env });
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  env.server?.stop();
  env.valtuudet?.stop();
});

/** Tabs to `selector` (or to the button whose text contains `text`) and presses Enter, waiting for
 * the navigation. */
async function tabAndEnter(page, selector, text) {
  if (text) {
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate((t) => document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent.includes(t), text);
    }
    if (!found) throw new Error(`could not reach the button "${text}" with Tab`);
  } else {
    await tabTo(page, selector);
  }
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

for (const lang of ['fi', 'sv', 'en']) {
  test(`a guardian chooses a child through e-Authorizations by keyboard alone (${lang})`, async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.server.base, 'Laura Helena', lang);
    await page.goto(`${env.server.base}/${lang}/acting-for`);
    assert.equal(await page.locator('li.choice').count(), 1, 'the feed\'s guardianships grant nothing');
    assert.deepEqual(await axeViolations(page), [], 'acting-for page with the e-Authorizations button');
    await tabAndEnter(page, '#valtuudet-button');
    assert.equal(new URL(page.url()).origin, env.valtuudet.base, 'on the selection page');
    await tabAndEnter(page, null, 'Eetu Matias Nieminen');
    assert.equal(new URL(page.url()).pathname, `/${lang}/records`);
    assert.match(await page.textContent('#acting-banner-text'), /Eetu Matias Nieminen/);
    assert.deepEqual(await axeViolations(page), [], 'records with the banner');
    await context.close();
  });
}

test('refused, cancelled and unavailable states are announced and axe-clean', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  // DISALLOWED: the notice takes focus on the acting-for page.
  await signIn(page, env.server.base, 'Kaisa Maria');
  await page.goto(`${env.server.base}/fi/acting-for`);
  await tabAndEnter(page, '#valtuudet-button');
  await tabAndEnter(page, null, 'Eino Kalevi Korhonen');
  assert.equal(new URL(page.url()).pathname, '/fi/acting-for');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'valtuudet-notice');
  assert.match(await page.textContent('#valtuudet-notice'), /Et voi asioida tämän henkilön puolesta/);
  assert.deepEqual(await axeViolations(page), [], 'acting-for page with the refusal');
  // Cancelled: back, no notice.
  await tabAndEnter(page, '#valtuudet-button');
  await tabAndEnter(page, null, 'Peruuta');
  assert.equal(new URL(page.url()).pathname, '/fi/acting-for');
  assert.equal(await page.locator('#valtuudet-notice').count(), 0);
  // The service away: a localised error page.
  await env.valtuudet.control('/test/down', { down: true });
  try {
    await tabAndEnter(page, '#valtuudet-button');
    assert.match(await page.textContent('h1'), /Henkilön valinta ei onnistunut/);
    assert.deepEqual(await axeViolations(page), [], 'the e-Authorizations error page');
  } finally {
    await env.valtuudet.control('/test/down', { down: false });
  }
  await context.close();
});
