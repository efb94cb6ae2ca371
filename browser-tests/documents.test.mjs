// Issue #22 in a real browser: download everything and print one document by keyboard, and the
// service-task filter form at 320 px in Finnish, Swedish and English with no axe violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useServerAndBrowser, signIn, axeViolations, tabTo, horizontalOverflow } from './helpers.mjs';

const env = useServerAndBrowser();

test('"Lataa tiedot" downloads the HTML and JSON files by keyboard', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta');
  await page.goto(`${env.server.base}/fi/records`);
  for (const format of ['json', 'html']) {
    await tabTo(page, `a.download-${format}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.match(download.suggestedFilename(), new RegExp(`^sosiaalitiedot-\\d{4}-\\d{2}-\\d{2}\\.${format}$`));
    const text = await readFile(await download.path(), 'utf8');
    if (format === 'json') {
      const data = JSON.parse(text);
      assert.equal(data.schema, 'sosiaalitiedot-export/1');
      assert.ok(data.documents.some((d) => d.title === 'Oikaisuvaatimusohje' && d.attachment_of));
    } else {
      assert.match(text, /^<!DOCTYPE html>/);
      assert.doesNotMatch(text, /<script/);
      // The file opens on its own and is accessible too.
      const offline = await context.newPage();
      await offline.setContent(text);
      assert.equal(await offline.locator('article').count() > 0, true);
      assert.deepEqual(await axeViolations(offline), []);
      await offline.close();
    }
    await page.goto(`${env.server.base}/fi/records`);
  }
  await context.close();
});

test('printing a decision by keyboard opens the print layout and the print dialog; without JavaScript the layout says how', async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta');
  await page.goto(`${env.server.base}/fi/records/older_people`);
  await page.click('a:has-text("Päätös säännöllisestä kotihoidosta")');
  await tabTo(page, 'a.print-action');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await page.waitForFunction(() => window.__printed > 0);
  assert.match(page.url(), /\?print=1$/);
  assert.match(await page.textContent('.print-person'), /Aino Marjatta Virtanen, syntynyt 17\.4\.1958/);
  assert.match(await page.textContent('.print-attachments'), /Oikaisuvaatimusohje/);
  assert.match(await page.textContent('.print-printed'), /^Tulostettu /);
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
  const noScript = await env.browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await signIn(plain, env.server.base, 'Aino Marjatta');
  await plain.goto(`${env.server.base}/fi/records/older_people`);
  await Promise.all([plain.waitForNavigation(), plain.click('a:has-text("Päätös säännöllisestä kotihoidosta")')]);
  await Promise.all([plain.waitForNavigation(), plain.click('a.print-action')]);
  assert.match(await plain.textContent('.print-instructions'), /Ctrl\+P/);
  await noScript.close();
});

for (const lang of ['fi', 'sv', 'en']) {
  test(`the service-task filter at 320 px: by keyboard, a count for screen readers, no axe violations (${lang})`, async () => {
    const context = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await signIn(page, env.server.base, 'Aino Marjatta', lang);
    await page.goto(`${env.server.base}/${lang}/records/older_people`);
    assert.deepEqual(await axeViolations(page), []);
    assert.ok(await horizontalOverflow(page) <= 0, 'no sideways scrolling at 320 px');
    await tabTo(page, '#filter-kind');
    await page.selectOption('#filter-kind', 'decision');
    await tabTo(page, '.task-filter button[type=submit]');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.match(page.url(), /kind=decision/);
    // The count starts the page's title: announced with the new page.
    const count = (await page.textContent('.filter-count')).trim();
    assert.match(count, /\d/);
    assert.ok((await page.title()).startsWith(`${count} – `), await page.title());
    const rows = await page.locator('.doc-title').count();
    assert.ok(rows > 0);
    assert.equal(await page.locator('#group-service_need_assessment').count(), 0, 'only decisions');
    assert.deepEqual(await axeViolations(page), []);
    assert.ok(await horizontalOverflow(page) <= 0);
    await tabTo(page, 'a.link-cancel');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.doesNotMatch(page.url(), /kind=/);
    await context.close();
  });
}
