// Accessibility round three in a real browser: one menu and banner on every page of an acting
// state with every menu link answering, focus after actions, titles of paginated pages, wide
// tables at 200 % text-only zoom, and the prohibition check page's change links by keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, signIn, axeViolations, tabTo } from './helpers.mjs';

const env = useServerAndBrowser();

for (const lang of ['fi', 'sv', 'en']) {
  test(`acting for a child: the same menu and banner on every page, and every menu link answers (${lang})`, async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.server.base, 'Laura Helena', lang);
    const card = page.locator('li.choice', { has: page.locator('.person-name', { hasText: 'Eetu' }) });
    await Promise.all([page.waitForNavigation(), card.locator('button').click()]);
    let menu = null;
    for (const path of ['/records', '/consent', '/data-use', '/help', '/sessions', '/accessibility', '/feedback', '/']) {
      await page.goto(`${env.server.base}/${lang}${path}`);
      assert.match(await page.textContent('#acting-banner-text'), /Eetu Matias Nieminen/, `banner on ${path}`);
      const links = await page.$$eval('nav.main-nav a', (as) => as.map((a) => a.getAttribute('href')));
      if (menu) assert.deepEqual(links, menu, `the menu on ${path}`);
      menu = links;
      for (const href of links) {
        const res = await context.request.get(`${env.server.base}${href}`);
        assert.equal(res.status(), 200, `${href} from ${path}`);
      }
    }
    await context.close();
  });
}

test('focus after actions: the data-use error summary, the ended sign-in and sent feedback are announced', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta');
  await page.goto(`${env.server.base}/fi/data-use`);
  await page.fill('#from', 'eilen');
  await Promise.all([page.waitForNavigation(), page.click('form.filter-form button')]);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'error-summary');
  // A second browser of the same person, ended from the first.
  const other = await env.browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, env.server.base, 'Aino Marjatta');
  await page.goto(`${env.server.base}/fi/sessions`);
  await Promise.all([page.waitForNavigation(), page.locator('tr.session-row:not(.session-current) button').first().click()]);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'success-banner');
  assert.match(await page.title(), /^Kirjautuminen on lopetettu\. – /);
  assert.equal(await page.textContent('#success-banner h2'), 'Valmis');
  assert.deepEqual(await axeViolations(page), []);
  await page.goto(`${env.server.base}/fi/feedback`);
  await page.fill('#message', 'Palaute testistä');
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  assert.match(await page.title(), /^Palaute lähetetty – /);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'success-banner');
  await other.close();
  await context.close();
});

test('at 200 % text-only zoom the data-use and sessions tables scroll in their own focusable region, not the page', async () => {
  // Text-only zoom: the root font size doubled (the CSP is bypassed only to inject that one rule).
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta');
  for (const path of ['/fi/data-use', '/fi/sessions']) {
    await page.goto(`${env.server.base}${path}`);
    await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    const region = page.locator('.table-scroll');
    assert.equal(await region.getAttribute('tabindex'), '0');
    await tabTo(page, '.table-scroll');
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none', 'visible focus');
  }
  await context.close();
});

test('the check page of a prohibition changes each answer by keyboard', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta');
  await page.goto(`${env.server.base}/fi/prohibitions/new?type=service_task`);
  const target = await page.getAttribute('input[name=target]', 'value');
  await page.goto(`${env.server.base}/fi/prohibitions/new?type=service_task&target=${target}`);
  assert.deepEqual(await axeViolations(page), []);
  await tabTo(page, 'a.change-target');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.getAttribute('input[name=target]:checked', 'value'), target);
  await context.close();
});

test('texts are marked with their language where it is known, in fi, sv and en, axe-clean', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Mikael Johannes');
  for (const [lang, marked] of [['fi', true], ['sv', false], ['en', true]]) {
    await page.goto(`${env.server.base}/${lang}/records/working_age`);
    assert.equal((await page.locator('.doc-title a > span[lang=sv]').count()) > 0, marked, `${lang}: Swedish titles`);
    assert.equal(await page.locator('td[lang], .worker dd[lang], .document-meta dd[lang]').count(), 0, `${lang}: registrars' own texts not guessed`);
    // A registrar's address and hours are given per language: in the page's, else marked.
    assert.equal(await page.locator('.contact-address').first().getAttribute('lang'), lang === 'en' ? 'fi' : null, `${lang}: the address`);
    assert.deepEqual(await axeViolations(page), [], lang);
  }
  await context.close();
});

test('after the session ended, signing in again in the demo returns to the page, by keyboard', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/fi/signed-out?reason=idle&return=%2Ffi%2Fdata-use`);
  await tabTo(page, 'main a.button');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), /\/fi\/sign-in\?return=%2Ffi%2Fdata-use$/);
  const card = page.locator('li.person-card', { has: page.locator('.person-name', { hasText: 'Aino Marjatta' }) });
  await card.locator('button').focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/fi/data-use');
  // The DEMO banner is inside the header landmark; the site name and the first menu item differ.
  assert.equal(await page.locator('header .demo-banner').count(), 1);
  const site = await page.textContent('a.site-name');
  const first = await page.locator('nav.main-nav a').first().textContent();
  assert.ok(!site.startsWith(first.trim()), `${site} / ${first}`);
  await context.close();
});

test('a document is printed or saved by keyboard: the print layout opens with the print dialog', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => { window.print = () => { window.__printed = true; }; });
  await signIn(page, env.server.base, 'Aino Marjatta');
  await page.goto(`${env.server.base}/fi/documents/1.2.246.10.2000001.18.2026.00002`);
  await tabTo(page, 'a.print-action');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), /\?print=1$/);
  await page.waitForFunction(() => window.__printed === true, null, { timeout: 5000 });
  assert.match(await page.textContent('.print-person'), /Aino Marjatta Virtanen, syntynyt 17\.4\.1958/);
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
});
