// A client with more documents than one table page shows: the GOV.UK-style page links under each
// group's table, with the keyboard alone, and no axe violations on either page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, axeViolations, signIn, tabTo } from './helpers.mjs';

const ORG = '1.2.246.10.2000001.10.0';
const HETU = '150980-992K';
const lines = [
  { type: 'person', hetu: HETU, first_names: 'Sivu', last_name: 'Monilehtinen' },
  { type: 'client_relationship', person: HETU, registrar: ORG, service_task: 'disability', started_on: '2024-01-15' },
];
for (let i = 0; i < 60; i++) {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const month = String(1 + Math.floor(i / 28)).padStart(2, '0');
  lines.push({
    type: 'document', id: `PAGED-${i}`, version: 1, person: HETU, registrar: ORG, service_task: 'disability',
    kind: i < 55 ? 'decision' : 'client_plan', phase: 2, status: 'active',
    created_at: `2026-${month}-${day}T10:00:00+02:00`, title: `Päätös numero ${i + 1}`, language: 'fi',
    author: 'Kirjoittaja', unit: 'Vammaispalvelut', sections: [{ heading: 'Päätös', body: 'Teksti.' }],
  });
}
const env = useServerAndBrowser({ extraFeed: lines.map((l) => JSON.stringify(l)).join('\n') });

test('a long document group pages with links, by keyboard, without axe violations', async () => {
  const page = await env.browser.newPage();
  await signIn(page, env.server.base, 'Sivu Monilehtinen');
  await page.goto(`${env.server.base}/fi/records/disability`);
  assert.equal(await page.locator('#group-decision ~ .table-scroll tbody tr').count(), 25);
  assert.equal(await page.locator('#group-decision ~ .rows-shown').innerText(), 'Asiakirjat 1–25 / 55');
  assert.deepEqual(await axeViolations(page), []);
  const nav = page.locator('nav.pagination[aria-label="Sivut: Päätökset"]');
  assert.equal(await nav.locator('a[aria-current=page]').innerText(), '1');
  // Keyboard alone to "Seuraava sivu" and on to page 2, which opens at the decisions.
  await tabTo(page, 'nav.pagination[aria-label="Sivut: Päätökset"] a[rel=next]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), /\/fi\/records\/disability\?decision-page=2#group-decision$/);
  assert.equal(await page.locator('#group-decision ~ .rows-shown').innerText(), 'Asiakirjat 26–50 / 55');
  assert.match(await page.title(), /^Vammaispalvelut – Päätökset, sivu 2 \/ 3 – /, 'the title names the page');
  assert.equal(await nav.locator('a[aria-current=page]').innerText(), '2');
  assert.equal(await page.locator('#group-client_plan ~ .table-scroll tbody tr').count(), 5, 'the short group is whole');
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});
