// Accessibility round four in a real browser: only foreign text is marked with its language
// (WCAG 3.1.2) wherever a document's title travels, the downloaded file passes at 320 px, tables
// scroll in their own labelled regions at 200 % text, the statement names what it relies on and
// links its contacts, sign-in keeps the page asked for, and the feedback form states its limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, signIn, axeViolations, horizontalOverflow } from './helpers.mjs';

const env = useServerAndBrowser();

/** The first document of a task page that has attachments: its address and its title. */
async function documentWithAttachments(page, lang, task) {
  await page.goto(`${env.server.base}/${lang}/records/${task}`);
  const row = page.locator('th.doc-title', { has: page.locator('.attachment-count') }).first();
  return { href: await row.locator('a').getAttribute('href'), title: (await row.locator('a').textContent()).trim() };
}

test('a Finnish title on a Swedish page is marked, and only the title: check, revoke, print, who acted', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta', 'sv');
  const doc = await documentWithAttachments(page, 'sv', 'older_people');
  const id = doc.href.split('/').pop();

  // The prohibition's check page and, once set, the list, the revoke link's label and the revoke page.
  await page.goto(`${env.server.base}/sv/prohibitions/new?type=document&target=${encodeURIComponent(id)}`);
  assert.equal(await page.getAttribute('dd.check-target', 'lang'), null, 'the cell is not marked as a whole');
  assert.equal((await page.textContent('dd.check-target span[lang=fi]')).trim().startsWith(doc.title), true);
  assert.deepEqual(await axeViolations(page), [], 'check page');
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  assert.ok((await page.textContent('.prohibitions-active .prohibition-target span[lang=fi]')).startsWith(doc.title));
  const hidden = page.locator('.prohibitions-active a.revoke-link .visually-hidden');
  assert.equal(await hidden.locator('span[lang=fi]').count(), 1, 'the revoke link names the title in its language');
  assert.ok((await hidden.textContent()).startsWith(': '));
  await Promise.all([page.waitForNavigation(), page.click('.prohibitions-active a.revoke-link')]);
  assert.equal(await page.getAttribute('dd.check-target', 'lang'), null);
  assert.equal(await page.locator('dd.check-target span[lang=fi]').count(), 1, 'revoke page');
  assert.deepEqual(await axeViolations(page), [], 'revoke page');

  // The print view's list of attachments.
  await page.goto(`${env.server.base}${doc.href}?print=1`);
  assert.ok(await page.locator('.print-attachments span[lang=fi]').count() >= 1, 'print attachments');
  assert.equal(await page.getAttribute('.print-attachments', 'lang'), null);
  await context.close();

  // "Who has acted for me": the Swedish words unmarked, the Finnish title marked.
  const guardian = await env.browser.newContext();
  const g = await guardian.newPage();
  await signIn(g, env.server.base, 'Laura Helena', 'fi');
  const card = g.locator('li.choice', { has: g.locator('.person-name', { hasText: 'Eetu' }) });
  await Promise.all([g.waitForNavigation(), card.locator('button').click()]);
  await g.goto(`${env.server.base}/fi/records/child_welfare`);
  const link = g.locator('.doc-title a').first();
  const title = (await link.textContent()).trim();
  await Promise.all([g.waitForNavigation(), link.click()]);
  await guardian.close();
  const child = await env.browser.newContext();
  const c = await child.newPage();
  await signIn(c, env.server.base, 'Eetu Matias', 'sv');
  await c.goto(`${env.server.base}/sv/acted-for-me`);
  const cell = c.locator('td.acted-what', { has: c.locator('span[lang=fi]', { hasText: title }) }).first();
  assert.equal(await cell.getAttribute('lang'), null, 'the Swedish words are not marked as Finnish');
  assert.match(await cell.textContent(), /^Såg handlingen: /);
  assert.equal((await cell.locator('span[lang=fi]').textContent()), title);
  assert.deepEqual(await axeViolations(c), [], 'who acted for me');
  await child.close();
});

test('the statement names criteria in the page\'s language, cites its exemption, and links e-mail and phone', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  for (const [lang, name, site] of [
    ['fi', '3.1.2 Osien kieli', 'saavutettavuusvaatimukset.fi'],
    ['sv', '3.1.2 Språk för delar', 'tillganglighetskrav.fi'],
    ['en', '3.1.2 Language of Parts', 'webaccessibility.fi'],
  ]) {
    await page.goto(`${env.server.base}/${lang}/accessibility`);
    const criterion = await page.textContent('.gap-criterion');
    assert.ok(criterion.includes(name), `${lang}: ${criterion}`);
    if (lang !== 'en') assert.ok(!criterion.includes('Language of Parts'), `${lang}: English name`);
    assert.match(await page.textContent('.gap-exemption'), /306\/2019.*2016\/2102/);
    assert.ok(await page.locator('main a[href^="mailto:"]').count() >= 3, `${lang}: e-mail links`);
    assert.equal(await page.getAttribute('.authority-contact a[href^="tel:"]', 'href'), 'tel:0295016000');
    assert.ok((await page.getAttribute('#authority ~ p a', 'href')).includes(site), `${lang}: the authority's site`);
    assert.deepEqual(await axeViolations(page), [], lang);
  }
  await context.close();
});

test('the downloaded file at 320 px: no sideways scrolling, focusable table regions, titles marked', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta', 'sv');
  await page.goto(`${env.server.base}/sv/records`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.download-html')]);
  const { readFile } = await import('node:fs/promises');
  const html = await readFile(await download.path(), 'utf8');
  const file = await context.newPage();
  await file.setContent(html);
  assert.ok(await horizontalOverflow(file) <= 0, `the file scrolls sideways by ${await horizontalOverflow(file)}px`);
  for (const region of await file.locator('.table-wrap').all()) {
    assert.equal(await region.getAttribute('tabindex'), '0');
    assert.equal(await region.getAttribute('role'), 'region');
  }
  assert.ok(await file.locator('a[href^="#doc-"] span[lang=fi]').count() >= 1, 'attachment and parent links marked');
  assert.deepEqual(await axeViolations(file), [], 'the file');
  await context.close();
});

test('at 200 % text the task, prohibition and who-acted tables scroll in their own labelled, focusable regions', async () => {
  const context = await env.browser.newContext({ viewport: { width: 800, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, env.server.base, 'Aino Marjatta', 'sv');
  // An active and a revoked prohibition, so that both tables are there.
  for (const task of ['older_people', 'disability']) {
    await page.goto(`${env.server.base}/sv/prohibitions/new?type=service_task&target=${task}`);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  }
  await Promise.all([page.waitForNavigation(), page.click('.prohibitions-active a.revoke-link')]);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  const pages = [['/fi/records/older_people', 'Aino Marjatta'], ['/sv/prohibitions', 'Aino Marjatta'], ['/sv/acted-for-me', 'Eetu Matias']];
  for (const [path, who] of pages) {
    if (who !== 'Aino Marjatta') await signIn(page, env.server.base, who, 'sv');
    await page.goto(`${env.server.base}${path}`);
    await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
    const overflow = await horizontalOverflow(page);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    const tables = await page.locator('main table').count();
    assert.ok(tables >= 1, path);
    assert.equal(await page.locator('.table-scroll[role=region][tabindex="0"] > table').count(), tables, `${path}: every table in its region`);
    for (const region of await page.locator('.table-scroll').all()) {
      const label = await region.getAttribute('aria-labelledby');
      assert.ok((await page.textContent(`#${label}`)).trim().length > 0, `${path}: the region is labelled`);
    }
    assert.deepEqual(await axeViolations(page), [], path);
  }
  await context.close();
});

test('a personal page asked for without a session is where sign-in returns, query and all', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/fi/records/older_people?kind=decision`);
  assert.equal(new URL(page.url()).pathname, '/fi/sign-in');
  assert.equal(new URL(page.url()).searchParams.get('return'), '/fi/records/older_people?kind=decision');
  const card = page.locator('li.person-card', { has: page.locator('.person-name', { hasText: 'Aino Marjatta' }) });
  await Promise.all([page.waitForNavigation(), card.locator('button[type=submit]').click()]);
  assert.equal(page.url(), `${env.server.base}/fi/records/older_people?kind=decision`);
  await context.close();
});

test('the feedback form says its limits before anyone meets them', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  for (const [lang, text] of [['fi', /Enintään 4000 merkkiä/], ['sv', /Högst 4000 tecken/], ['en', /At most 4000 characters/]]) {
    await page.goto(`${env.server.base}/${lang}/feedback`);
    assert.match(await page.textContent('#message-hint'), text);
    assert.match(await page.textContent('#contact-hint'), /200/);
    assert.equal(await page.getAttribute('#message', 'aria-describedby'), 'message-hint');
    assert.deepEqual(await axeViolations(page), [], lang);
  }
  await context.close();
});
