// The in-page demo: dist/ on a plain static host under a sub-path, no simulator and
// no worker anywhere, and "Try the demo" still shows every provider, paging, the details, the
// create form with its validation and the provider's answers, all from the simulator that the
// page loads into itself only when asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { launch, openStaticSite, go, openSource, ARTIFACTS } from './helpers.mjs';

const SITE = process.env.BACKBOARD_STATIC_SITE ?? new URL('../../target/e2e/static-site/', import.meta.url).pathname;
const PREFIX = '/tools/backboard/';
// The simulator's defaults (crates/sim Config): the in-page demo uses them as they are.
const COUNTS = { 'ServerAvatar demo org': 37, 'Northflank postgres addon': 23, 'Northflank offsite destination': 12, 'mittwald shop project': 18 };
const TOTAL = 90;

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

const count = (page, text) => page.locator('.backups .count', { hasText: text }).waitFor({ timeout: 60_000 });
const form = (page) => page.locator('form.create-form');
const byLabel = (page, label) => form(page).getByLabel(label, { exact: true });

test('a static host alone: the demo runs in the page, lists, creates and says it is a demo', async () => {
  const { origin, page, requests, errors, close } = await openStaticSite(browser, SITE, PREFIX);
  await page.getByRole('heading', { name: 'No sources yet' }).waitFor();
  const demoModule = () => requests.filter((u) => u.includes('/demo/backboard_demo'));
  assert.deepEqual(demoModule(), [], 'the demo module is not loaded until someone tries the demo');
  assert.equal(await page.locator('.demo-banner').count(), 0);

  await page.getByRole('button', { name: 'Try the demo' }).click();
  // Health, from the same answers: one row per demo account.
  await page.locator('tr.source-row').nth(3).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('tr.source-row').count(), 4);
  await page.screenshot({ path: `${ARTIFACTS}/static-demo.png` });
  await go(page, 'Backups');
  await count(page, `(${TOTAL})`);
  const banner = page.getByRole('complementary', { name: 'Demo' });
  assert.match(await banner.textContent(), /simulated inside this page.*add a connection with your provider's API token/s);
  await go(page, 'Connections');
  for (const [label, n] of Object.entries(COUNTS)) {
    const status = page.locator('li.connection', { hasText: label }).locator('.conn-status');
    assert.equal(await status.textContent(), `${n} backups`, label);
  }
  assert.equal(demoModule().length, 2, 'the module and its wasm, once each');
  await go(page, 'Backups');

  // Filter, search and the URL, as against real providers.
  await page.getByLabel('Filter by provider').selectOption('mittwald');
  await count(page, `(18 of ${TOTAL})`);
  assert.match(page.url(), /provider=mittwald/);
  // Details of the first row.
  await page.locator('table.backup-table tbody tr[data-provider] td.name button.row-open').first().click();
  await page.locator('aside.details').waitFor();
  assert.match(await page.locator('aside.details').textContent(), /mittwald/);
  await page.keyboard.press('Escape');
  await page.getByLabel('Filter by provider').selectOption('');

  // The create form on the organization's page: the core's validation, then the simulator's
  // answers (success and error).
  await openSource(page, 'ServerAvatar demo org');
  await form(page).waitFor();
  await byLabel(page, 'Server id').fill('abc');
  await form(page).locator('button[type="submit"]').click();
  await page.locator('#sa-create-server-error').getByText('The server id is a number, like 15.').waitFor();
  await form(page).getByText(/Nothing was sent/).waitFor();
  const name = `static demo ${Date.now()}`;
  await byLabel(page, 'Server id').fill('15');
  await byLabel(page, 'Backup name').fill(name);
  await byLabel(page, 'What to back up').selectOption('application');
  await byLabel(page, 'Application id').fill('4246');
  await byLabel(page, 'Database id').fill('4223');
  await byLabel(page, 'Files archive format').selectOption('.tar.gz');
  await byLabel(page, 'Database dump format').selectOption('.sql.gz');
  await byLabel(page, 'Cloud storage').selectOption('wasabi');
  await byLabel(page, 'Cloud storage id').fill('10');
  await form(page).locator('button[type="submit"]').click();
  await form(page).getByRole('status').getByText('Backup Process has been started successfully!').waitFor({ timeout: 30_000 });
  await count(page, `(${COUNTS['ServerAvatar demo org'] + 1})`);
  await page.getByLabel('Search backups').fill(name);
  await count(page, `(1 of ${COUNTS['ServerAvatar demo org'] + 1})`);
  await page.getByLabel('Search backups').fill('');
  await byLabel(page, 'Server id').fill('999');
  await form(page).locator('button[type="submit"]').click();
  await form(page).locator('.form-status [role="alert"]').getByText('ServerAvatar answered 404: Server not found!').waitFor({ timeout: 30_000 });
  assert.equal(await byLabel(page, 'Backup name').inputValue(), name, 'the form keeps what was typed');
  await page.screenshot({ path: `${ARTIFACTS}/static-demo-create.png` });

  // A lifecycle action in the page: delete a mittwald backup (confirmed); the list follows.
  await go(page, 'Backups');
  await page.getByLabel('Filter by provider').selectOption('mittwald');
  await count(page, `(18 of ${TOTAL + 1})`);
  const opens = page.locator('table.backup-table tbody tr[data-provider="mittwald"] td.name button.row-open');
  const panel = page.locator('aside.details');
  let deleted = false;
  for (let i = 0; i < 8 && !deleted; i++) {
    await opens.nth(i).click();
    await panel.locator('.mw-actions').waitFor();
    if (await panel.getByRole('button', { name: 'Delete backup' }).count() === 0) {
      await panel.getByRole('button', { name: 'Close the details' }).click();
      continue;
    }
    await panel.getByRole('button', { name: 'Delete backup' }).click();
    await panel.getByRole('alertdialog').getByRole('button', { name: /^Delete “/ }).click();
    deleted = true;
  }
  assert.ok(deleted, 'a deletable mittwald backup among the first rows');
  await count(page, `(17 of ${TOTAL})`);

  // A long-running action in the page: a mittwald export, polled to its download, which the page
  // hands over as a file (the in-page address is no browser URL) matching the checksum shown.
  let exported = false;
  for (let i = 0; i < 10 && !exported; i++) {
    await opens.nth(i).click();
    await panel.locator('.mw-actions').waitFor();
    const exportForm = panel.getByRole('form', { name: 'Export the backup' });
    if (await exportForm.count() === 0 || await panel.locator('.mw-export-state', { hasText: 'Not exported.' }).count() === 0) {
      await panel.getByRole('button', { name: 'Close the details' }).click();
      continue;
    }
    await exportForm.getByRole('button', { name: 'Export' }).click();
    await panel.locator('.mw-export-state', { hasText: /: Completed/ }).waitFor({ timeout: 60_000 });
    const checksum = (await panel.locator('.mw-checksum').textContent()).trim();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }),
      panel.getByRole('button', { name: /^Download the export/ }).click(),
    ]);
    const bytes = await readFile(await download.path());
    assert.equal(createHash('sha256').update(bytes).digest('hex'), checksum, 'the file is the one the checksum names');
    await panel.getByRole('button', { name: 'Close the details' }).click();
    exported = true;
  }
  assert.ok(exported, 'a completed mittwald backup without an export among the first rows');
  await page.getByLabel('Filter by provider').selectOption('');

  // A reload keeps the demo accounts for the tab; the page loads the simulator again.
  await page.reload();
  await count(page, `(${TOTAL})`);
  await banner.waitFor();

  // Leaving the demo: the accounts and the banner go.
  await banner.getByRole('button', { name: 'Remove the demo accounts' }).click();
  await page.getByText('No backups to show yet.').waitFor();
  assert.equal(await page.locator('.demo-banner').count(), 0);
  assert.equal(await page.locator('li.connection').count(), 0);

  const elsewhere = requests.filter((u) => !u.startsWith(origin + PREFIX));
  assert.deepEqual(elsewhere, [], 'nothing but the static host was asked for anything');
  assert.deepEqual(errors, []);
  await close();
});
