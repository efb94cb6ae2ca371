// WCAG 2.2 AA in a real browser: the statement, help and feedback pages in three languages with
// axe (wcag22aa included), focus on the error summary after a failed submit, and column labels
// exposed to the accessibility tree at 320 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, signIn } from './helpers.mjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const env = useServerAndBrowser();

async function axe22(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

for (const lang of ['fi', 'sv', 'en']) {
  test(`statement, privacy notice, help and feedback pass axe (WCAG 2.2 AA) in ${lang}, reachable from the footer`, async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    for (const target of ['accessibility', 'privacy', 'help', 'feedback']) {
      await page.goto(`${env.server.base}/${lang}/`);
      await Promise.all([page.waitForNavigation(), page.click(`footer a[href="/${lang}/${target}"]`)]);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.deepEqual(await axe22(page), [], `${lang}/${target}`);
    }
    await context.close();
  });
}

test('after a failed submit the error summary has the focus', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/fi/feedback`);
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
  assert.match(await page.title(), /^Virhe: /);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'error-summary');
  assert.deepEqual(await axe22(page), [], 'feedback with errors');
  await context.close();
});

test('at 320 px every data cell of a table exposes its column label', async () => {
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino');
  for (const path of ['/fi/records/older_people', '/fi/data-use', '/fi/sessions']) {
    await page.goto(env.server.base + path);
    const cells = page.locator('table.document-table tbody td, table.document-table tbody th');
    const n = await cells.count();
    assert.ok(n > 0, path);
    for (let i = 0; i < Math.min(n, 12); i++) {
      const label = await cells.nth(i).getAttribute('data-label');
      const before = await cells.nth(i).evaluate((el) => getComputedStyle(el, '::before').content);
      assert.equal(before, `"${label}: "`, `${path} cell ${i}`);
      // Generated content is part of the cell's accessible text.
      const snapshot = await cells.nth(i).ariaSnapshot();
      assert.ok(snapshot.includes(label), `${path} cell ${i}: ${snapshot}`);
    }
    assert.deepEqual(await axe22(page), [], `${path} at 320 px`);
  }
  await context.close();
});
