// ServerAvatar's actions through the SPA: SPA in Chromium -> worker -> simulator, with
// the demo's "ServerAvatar demo org" connection. Downloads ask for a fresh 60-second URL at
// every click, delete goes through the bulk API (one id from the details panel, several from
// the selection below the list), "Backup not completed." and "Backup not found!" are shown as
// ServerAvatar says them, and the archive and deleted-server views list what the provider has.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { launch, openApp, resetSimulator, simLog, addFault, openStaticSite, demoSource, listedTotal, SIM, ARTIFACTS } from './helpers.mjs';

const SITE = process.env.BACKBOARD_STATIC_SITE ?? new URL('../../target/e2e/static-site/', import.meta.url).pathname;

const LABEL = 'ServerAvatar demo org';
const ORG_PATH = '/serveravatar/organizations/5/backups';

let browser;
before(async () => {
  await resetSimulator({ operation_ms: 500 });
  browser = await launch();
});
after(async () => browser?.close());

async function simGet(path) {
  const r = await fetch(`${SIM}${ORG_PATH}${path}`, { headers: { Authorization: 'sa-demo-token' } });
  assert.equal(r.status, 200, path);
  return r.json();
}

/// Every page of a list (the backups, or an archive view) as the simulator has it now.
async function simAll(path) {
  const first = await simGet(`${path}?page=1`);
  const all = [...first.data];
  for (let p = 2; p <= first.last_page; p++) all.push(...(await simGet(`${path}?page=${p}`)).data);
  return all;
}

const used = new Set();
async function pick(test) {
  const b = (await simAll('')).find((b) => test(b) && !used.has(b.id));
  assert.ok(b, 'the simulator has a fitting backup');
  used.add(b.id);
  return b;
}

async function openDemo() {
  const app = await openApp(browser);
  await demoSource(app.page, LABEL);
  // The organization's tools are a part of the app loaded with its page.
  await app.page.locator('section.sa-tools').waitFor();
  return app;
}

const tools = (page) => page.locator('section.sa-tools', { hasText: LABEL });
const rows = (page) => page.locator('table.backup-table tbody tr[data-provider="serveravatar"]');

/// Opens a backup's details by its id: searched for (ids are in the search text), then the
/// row whose details name that id.
async function openDetails(page, id) {
  await page.getByLabel('Search backups').fill(String(id));
  const details = page.locator('aside.details');
  for (let i = 0; i < await rows(page).count(); i++) {
    await rows(page).nth(i).locator('td.name button').click();
    await details.waitFor();
    if ((await details.locator('dl.summary dd.mono').textContent()) === String(id)) {
      await details.getByRole('region', { name: 'Actions' }).waitFor();
      return details;
    }
  }
  throw new Error(`no row for backup ${id}`);
}

const log = async (pred) => (await simLog()).filter(pred);

test('each download click asks for a fresh temporary URL and opens it; "Backup not found!" is shown', async () => {
  const { context, page, errors } = await openDemo();
  const backup = await pick((b) => b.status === 'Completed' && b.application_available_in_cloudstorage === 1
    && b.database_available_in_cloudstorage === 1);
  const details = await openDetails(page, backup.id);
  const asks = (part) => log((e) => e.method === 'GET' && e.path === `${ORG_PATH}/${backup.id}/${part}/download`);
  const files = () => log((e) => e.method === 'GET' && e.path.startsWith(`/serveravatar/_files/${backup.id}/filesystem/`));
  assert.equal((await asks('filesystem')).length, 0, 'nothing asked for before the click');

  const button = details.getByRole('button', { name: /^Download the files of / });
  await button.click();
  await details.getByText(/Download of the files opened with a fresh link \(asked for at .*, valid 60 s\)/).waitFor({ timeout: 15_000 });
  // The link expires a minute after it was made: a second later, the next one differs.
  await page.waitForTimeout(1_200);
  await button.click();
  const deadline = Date.now() + 15_000;
  while ((await files()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.equal((await asks('filesystem')).length, 2, 'one request per click');
  const opened = await files();
  assert.equal(opened.length, 2, 'both URLs were opened');
  assert.ok(opened.every((e) => e.status === 200), 'both were valid when opened');
  assert.notEqual(opened[0].query, opened[1].query, 'two different URLs');
  assert.match(opened[0].query, /expires=\d+&signature=/);
  // Never kept in the page.
  assert.equal(await page.evaluate(() => document.body.innerHTML.includes('signature=')), false);
  await page.screenshot({ path: `${ARTIFACTS}/actions-serveravatar-download.png` });

  await addFault({
    path_prefix: `${ORG_PATH}/${backup.id}/database/download`, times: 1,
    fault: { kind: 'respond', status: 404, headers: [['Content-Type', 'application/json']], body: '{"message": "Backup not found!"}' },
  });
  await details.getByRole('button', { name: /^Download the database of / }).click();
  await details.getByRole('alert').filter({ hasText: 'Backup not found!' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('delete from the details: a backup that is not completed is refused; a completed one is gone', async () => {
  const { context, page, errors } = await openDemo();
  const pending = await pick((b) => b.status !== 'Completed');
  let details = await openDetails(page, pending.id);
  await details.getByRole('button', { name: 'Delete', exact: true }).click();
  const question = await details.getByRole('alertdialog').textContent();
  assert.match(question, new RegExp(`\\(id ${pending.id}\\) from its cloud storage\\? This cannot be undone\\.`));
  await details.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForTimeout(300);
  assert.equal((await log((e) => e.path === `${ORG_PATH}/destroy`)).length, 0, 'cancel sends nothing');
  await details.getByRole('button', { name: 'Delete', exact: true }).click();
  await details.getByRole('alertdialog').getByRole('button', { name: /^Delete “/ }).click();
  await details.getByRole('alert').filter({ hasText: 'Backup not completed.' }).waitFor({ timeout: 15_000 });
  const sent = await log((e) => e.path === `${ORG_PATH}/destroy`);
  assert.equal(sent.length, 1);
  assert.deepEqual(JSON.parse(sent[0].body), { ids: [pending.id] });
  assert.ok((await simAll('')).some((b) => b.id === pending.id), 'still there');
  await page.screenshot({ path: `${ARTIFACTS}/actions-serveravatar-not-completed.png` });

  const done = await pick((b) => b.status === 'Completed');
  details = await openDetails(page, done.id);
  await details.getByRole('button', { name: 'Delete', exact: true }).click();
  await details.getByRole('alertdialog').getByRole('button', { name: /^Delete “/ }).click();
  await tools(page).getByText(`(id ${done.id}): Backup files successfully deleted from your cloud storage provider.`).waitFor({ timeout: 15_000 });
  await details.waitFor({ state: 'detached' });
  assert.ok(!(await simAll('')).some((b) => b.id === done.id), 'gone at the provider');
  assert.deepEqual(errors, []);
  await context.close();
});

test('bulk delete: none chosen is refused in place; two chosen are named, confirmed and gone', async () => {
  const { context, page, errors } = await openDemo();
  const section = tools(page);
  const bulk = section.locator('fieldset.bulk-delete');
  const before = await listedTotal(page);
  const destroys = () => log((e) => e.path === `${ORG_PATH}/destroy`);
  const sentBefore = (await destroys()).length;
  await bulk.getByRole('button', { name: 'Delete the selected' }).click();
  await bulk.getByText('Choose at least one backup to delete.').waitFor();
  await page.waitForTimeout(300);
  assert.equal((await destroys()).length, sentBefore, 'nothing sent');

  // A name with a right-to-left override is isolated: it cannot turn the id and status around.
  const labels = await bulk.locator('.pick-list label').allTextContents();
  const hostile = labels.filter((l) => l.includes('\u202E'));
  assert.ok(hostile.length > 0, 'the simulator serves a name with U+202E');
  assert.ok(hostile.every((l) => /^\u2068[^\u2069]*\u2069 · id \d+ · /.test(l)), hostile.join(' | '));

  const a = await pick((b) => b.status === 'Completed');
  const b = await pick((b) => b.status === 'Completed');
  await bulk.getByLabel(new RegExp(` · id ${a.id} · `)).check();
  await bulk.getByLabel(new RegExp(` · id ${b.id} · `)).check();
  await bulk.getByRole('button', { name: 'Delete the 2 selected' }).click();
  const question = await bulk.getByRole('alertdialog').textContent();
  assert.match(question, /^Delete 2 backups from cloud storage: /);
  assert.ok(question.includes(`(id ${a.id})`) && question.includes(`(id ${b.id})`), question);
  await page.screenshot({ path: `${ARTIFACTS}/actions-serveravatar-bulk.png`, fullPage: true });
  await bulk.getByRole('button', { name: 'Delete 2 backups' }).click();
  await bulk.getByText(/Deleted 2 backups \(ids .*\): Backup files successfully deleted/).waitFor({ timeout: 15_000 });
  const sent = await destroys();
  assert.equal(sent.length, sentBefore + 1, 'one call');
  assert.deepEqual(JSON.parse(sent.at(-1).body).ids.sort((x, y) => x - y), [a.id, b.id].sort((x, y) => x - y));
  await page.waitForFunction((n) => document.querySelector('.backups .count')?.textContent.match(/(\d+)\)$/)?.[1] === String(n), before - 2, { timeout: 15_000 });
  assert.equal(await bulk.getByLabel(new RegExp(` · id ${a.id} · `)).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the archive views and the deleted servers list what ServerAvatar has', async () => {
  const { context, page, errors } = await openDemo();
  const section = tools(page);
  for (const kind of ['filesystem', 'database', 'application']) {
    const expected = await simAll(`/archive/${kind}`);
    assert.ok(expected.length > 0, kind);
    await section.getByLabel('Archive of').selectOption(kind);
    await section.getByRole('button', { name: 'Show the archive' }).click();
    const table = section.locator('table.archive-table', { hasText: `Archived ${kind} backups` });
    await table.waitFor({ timeout: 15_000 });
    const ids = await table.locator('tbody tr td:first-child').allTextContents();
    assert.deepEqual(ids, expected.map((b) => String(b.id)), kind);
    await section.getByText(`The ${kind} archive has ${expected.length} backup`).waitFor();
    const pages = await log((e) => e.path === `${ORG_PATH}/archive/${kind}`);
    if (expected.length > 10) assert.ok(pages.some((e) => e.query === 'page=2'), `${kind}: every page read`);
  }
  const servers = (await simGet('/deleted-server')).servers;
  assert.ok(servers.length > 0);
  await section.getByRole('button', { name: 'Show the deleted servers' }).click();
  const table = section.locator('table.deleted-servers-table');
  await table.waitFor({ timeout: 15_000 });
  const shown = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 3).map((c) => c.textContent)));
  assert.deepEqual(shown, servers.map((s) => [String(s.id), s.name, s.ip]));
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/actions-serveravatar-archive.png`, fullPage: true });

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// Runs on the static site: the simulator inside the page has the same seed as the server.
test('in the in-page demo a download hands over the file itself (a Blob URL)', async () => {
  const { page, errors, close } = await openStaticSite(browser, SITE, '/demo-site/');
  try {
    await demoSource(page, LABEL);
    const backup = (await simAll('')).find((b) => b.status === 'Completed' && b.database_available_in_cloudstorage === 1 && !used.has(b.id));
    const details = await openDetails(page, backup.id);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }),
      details.getByRole('button', { name: /^Download the database of / }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${backup.backup_hash}${backup.database_extension}`);
    assert.match(await readFile(await download.path(), 'utf8'), new RegExp(`database dump of backup ${backup.id}`));
    await details.getByText('Download of the database opened with a fresh link').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
