// Northflank's actions through the SPA: SPA in Chromium -> worker -> simulator, with
// the demo's "Northflank postgres addon" connection. Creating a backup (it shows up in progress,
// then completed), the create and schedule forms' field messages (nothing sent), delete after a
// confirmation (cancel sends nothing), abort (aborting -> aborted), restore (its states) and
// the download link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { launch, openApp, resetSimulator, simLog, findBackupRow, openStaticSite, demoSource, SIM, ARTIFACTS } from './helpers.mjs';

const SITE = process.env.BACKBOARD_STATIC_SITE ?? new URL('../../target/e2e/static-site/', import.meta.url).pathname;

const LABEL = 'Northflank postgres addon';
const ADDON_PATH = '/northflank/v1/projects/demo-project/addons/postgres-main';

let browser;
before(async () => {
  await resetSimulator({ operation_ms: 500 });
  browser = await launch();
});
after(async () => browser?.close());

/// The addon's backups as the simulator has them now.
async function simBackups() {
  const r = await fetch(`${SIM}${ADDON_PATH}/backups?per_page=100`, { headers: { Authorization: 'Bearer nf-demo-token' } });
  return (await r.json()).data.backups;
}

/// A backup with a plain name (some names are hostile on purpose) in one of `statuses`, not yet
/// used by another test.
const used = new Set();
async function pick(statuses) {
  const b = (await simBackups()).find((b) => statuses.includes(b.status) && /^postgres-[a-z-]+-\d+$/.test(b.name) && !used.has(b.id));
  assert.ok(b, `the simulator has a backup in ${statuses}`);
  used.add(b.id);
  return b;
}

async function requests(method, pathEnd) {
  return (await simLog()).filter((e) => e.method === method && e.path.startsWith(ADDON_PATH) && e.path.endsWith(pathEnd));
}

async function openDemo() {
  const app = await openApp(browser);
  await demoSource(app.page, LABEL);
  // The addon's tools are a part of the app loaded with its page.
  await app.page.locator('form.nf-create').waitFor();
  return app;
}

const tools = (page) => page.locator('section.nf-tools', { hasText: LABEL });
const createForm = (page) => tools(page).locator('form.nf-create');
const scheduleForm = (page) => tools(page).locator('form.nf-schedule');

/// The list's row of a backup by its exact name (names may be prefixes of others).
async function rowOf(page, name) {
  await findBackupRow(page, name, { provider: 'northflank' });
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const exact = new RegExp('^' + escaped + '$');
  return page.locator('table.backup-table tbody tr[data-provider="northflank"]')
    .filter({ has: page.locator('td.name button.row-open', { hasText: exact }) }).first();
}

async function openDetails(page, name) {
  const row = await rowOf(page, name);
  await row.locator('td.name button').click();
  const details = page.locator('aside.details');
  await details.waitFor();
  await details.getByRole('region', { name: 'Actions' }).waitFor();
  return details;
}

test('create a backup: fields as the type needs them; it appears in progress, then completed', async () => {
  const { context, page, errors } = await openDemo();
  const form = createForm(page);
  // Snapshot (the default) takes additional destinations; a dump takes compression and a custom destination.
  assert.equal(await form.getByLabel('Additional destinations').isVisible(), true);
  assert.equal(await form.getByLabel('Compression').count(), 0);
  await form.getByLabel('Backup type').selectOption('dump');
  assert.equal(await form.getByLabel('Additional destinations').count(), 0);
  await form.getByLabel('Compression').selectOption('zstd');
  await form.getByLabel('Custom destination id').fill('offsite-s3');
  await form.getByLabel('Backup name').fill('e2e dump:one');
  const before = (await requests('POST', '/backups')).length;
  await form.getByRole('button', { name: 'Create the backup' }).click();
  await form.getByText('Northflank took the backup “e2e dump:one”').waitFor({ timeout: 15_000 });
  assert.match(await form.locator('.action-status.ok').textContent(), /it is in-progress/);
  const posts = await requests('POST', '/backups');
  assert.equal(posts.length, before + 1, 'one POST');
  assert.deepEqual(JSON.parse(posts.at(-1).body),
    { name: 'e2e dump:one', backupType: 'dump', compressionType: 'zstd', customDestinationId: 'offsite-s3' });
  // In the list at once, then completed by polling.
  const row = await rowOf(page, 'e2e dump:one');
  await form.locator('.followed li', { hasText: 'e2e dump:one' }).filter({ hasText: 'completed' }).waitFor({ timeout: 15_000 });
  await row.locator('.badge', { hasText: 'completed' }).waitFor({ timeout: 15_000 });
  const gets = (await simLog()).filter((e) => e.method === 'GET' && /\/backups\/backup-new-\d+$/.test(e.path));
  assert.ok(gets.length >= 1, 'followed with GETs of the new backup');
  await page.screenshot({ path: `${ARTIFACTS}/actions-northflank-create.png`, fullPage: true });

  // A snapshot with the addon's destination as an additional one; the name may be left out.
  await form.getByLabel('Backup name').fill('');
  await form.getByLabel('Backup type').selectOption('snapshot');
  await form.getByLabel('Additional destinations').fill('offsite-s3');
  await form.getByRole('button', { name: 'Create the backup' }).click();
  await form.getByText(/Northflank took the backup “Manual backup \d+”/).waitFor({ timeout: 15_000 });
  assert.deepEqual(JSON.parse((await requests('POST', '/backups')).at(-1).body),
    { backupType: 'snapshot', additionalDestinations: [{ destinationId: 'offsite-s3', type: 'custom' }] });
  // The provider's refusal is shown as it said it.
  await form.getByLabel('Additional destinations').fill('nowhere');
  await form.getByRole('button', { name: 'Create the backup' }).click();
  await form.getByText('Backup destination not found').waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('invalid create and schedule forms show messages next to their fields and send nothing', async () => {
  const { context, page, errors } = await openDemo();
  const form = createForm(page);
  const sentBefore = (await simLog()).filter((e) => e.method === 'POST').length;
  await form.getByLabel('Backup name').fill('x');
  await form.getByLabel('Additional destinations').fill('offsite-s3, bad id!');
  await form.getByRole('button', { name: 'Create the backup' }).click();
  const nameError = form.locator('[id$="-create-name-error"]');
  await nameError.waitFor();
  assert.match(await nameError.textContent(), /Error: .*Name must be 3 to 39 characters\./);
  assert.match(await form.locator('[id$="-create-additionalDestinations-error"]').textContent(),
    /Destination ids use only letters, digits, hyphens and underscores/);
  const name = form.getByLabel('Backup name');
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  assert.ok((await name.getAttribute('aria-describedby')).includes('-create-name-error'));
  assert.equal(await page.evaluate(() => document.activeElement?.id.endsWith('-create-name')), true, 'focus on the first field');
  assert.equal(await name.inputValue(), 'x', 'what was typed stays');
  await form.getByText('Nothing was sent: 2 fields need a fix').waitFor();
  // Messages follow the typing; a name with a doubled separator and a repeated destination.
  await name.fill('nightly--one');
  await form.getByLabel('Additional destinations').fill('offsite-s3, offsite-s3');
  await form.getByText('Name must start and end with a letter or digit').waitFor();
  await form.getByText('Each destination can be named only once.').waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/actions-northflank-invalid.png`, fullPage: true });

  // The schedule: hours only for daily and weekly, days only for weekly.
  const schedule = scheduleForm(page);
  assert.equal(await schedule.getByLabel('Hours').count(), 0);
  await schedule.getByLabel('Interval').selectOption('weekly');
  assert.equal(await schedule.getByLabel('Hours').isVisible(), true);
  assert.equal(await schedule.getByLabel('Days').isVisible(), true);
  await schedule.getByLabel('Minutes').fill('61');
  const keep = schedule.getByLabel('Keep backups for');
  assert.equal(await keep.inputValue(), '7', 'the form starts at 7 days');
  await keep.fill('0');
  await schedule.getByRole('button', { name: 'Create the schedule' }).click();
  await schedule.locator('[id$="-schedule-retentionTime-error"]', { hasText: 'whole number of days' }).waitFor();
  await schedule.locator('[id$="-schedule-minute-error"]', { hasText: 'Minutes are whole numbers from 0 to 59' }).waitFor();
  await schedule.locator('[id$="-schedule-hour-error"]', { hasText: 'A daily or weekly schedule needs at least one hour' }).waitFor();
  await schedule.locator('[id$="-schedule-day-error"]', { hasText: 'A weekly schedule needs at least one day' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal((await simLog()).filter((e) => e.method === 'POST').length, sentBefore, 'nothing was sent');

  // Valid: a daily schedule; the days field goes away and is not sent.
  await schedule.getByLabel('Interval').selectOption('daily');
  assert.equal(await schedule.getByLabel('Days').count(), 0);
  await schedule.getByLabel('Minutes').fill('0, 30');
  await schedule.getByLabel('Hours').fill('2');
  await keep.fill('7');
  await schedule.getByRole('button', { name: 'Create the schedule' }).click();
  await schedule.getByText('Northflank saved the daily schedule').waitFor({ timeout: 15_000 });
  const posted = (await requests('POST', '/backup-schedules')).at(-1);
  // backupType and retentionTime are required by the official client's types; the form starts at snapshot, 7 days.
  assert.deepEqual(JSON.parse(posted.body),
    { scheduling: { interval: 'daily', minute: [0, 30], hour: [2] }, backupType: 'snapshot', retentionTime: 7 });
  // A second daily one: the provider's refusal, in its words.
  await schedule.getByRole('button', { name: 'Create the schedule' }).click();
  await schedule.getByText('already has a backup schedule with this interval').waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('delete asks first naming the backup; cancel sends nothing; confirmed, it is gone', async () => {
  const { context, page, errors } = await openDemo();
  const backup = await pick(['completed', 'failed']);
  const details = await openDetails(page, backup.name);
  await details.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = details.getByRole('alertdialog');
  assert.match(await dialog.textContent(), new RegExp(`Delete the backup “${backup.name}”\\? This cannot be undone\\.`));
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForTimeout(500);
  assert.equal((await requests('DELETE', `/backups/${backup.id}`)).length, 0, 'cancel sends nothing');
  await details.getByRole('button', { name: 'Delete', exact: true }).click();
  await details.getByRole('button', { name: `Delete “${backup.name}”` }).click();
  await tools(page).getByText(`Deleted the backup “${backup.name}”`).waitFor({ timeout: 15_000 });
  assert.equal((await requests('DELETE', `/backups/${backup.id}`)).length, 1, 'one DELETE');
  await page.locator(`table.backup-table td.name[title="${backup.name}"]`).waitFor({ state: 'detached' });
  assert.ok(!(await simBackups()).some((b) => b.id === backup.id));
  await page.screenshot({ path: `${ARTIFACTS}/actions-northflank-delete.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('abort a running backup: aborting, then aborted', async () => {
  const { context, page, errors } = await openDemo();
  const backup = await pick(['in-progress', 'scheduled']);
  const details = await openDetails(page, backup.name);
  // Only running backups can be aborted; a running one cannot be restored or downloaded yet.
  assert.equal(await details.getByRole('button', { name: 'Restore', exact: true }).count(), 0);
  await details.getByRole('button', { name: 'Abort', exact: true }).click();
  await details.getByRole('button', { name: `Abort “${backup.name}”` }).click();
  await details.locator('.provider-actions').getByText('Northflank says “aborting”').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: `${ARTIFACTS}/actions-northflank-aborting.png` });
  await details.getByText('Abort finished: Northflank says “aborted”.').waitFor({ timeout: 15_000 });
  await details.locator('.current-status', { hasText: 'aborted' }).waitFor();
  assert.equal(await details.getByRole('button', { name: 'Abort', exact: true }).count(), 0);
  assert.equal((await requests('POST', `/backups/${backup.id}/abort`)).length, 1, 'one abort');
  await page.screenshot({ path: `${ARTIFACTS}/actions-northflank-aborted.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('restore shows its states until it settles', async () => {
  const { context, page, errors } = await openDemo();
  const backup = await pick(['completed']);
  const details = await openDetails(page, backup.name);
  await details.getByRole('button', { name: 'Restore', exact: true }).click();
  assert.match(await details.getByRole('alertdialog').textContent(), new RegExp(`Restore “${backup.name}” into the addon demo-project/postgres-main`));
  await details.getByRole('button', { name: `Restore “${backup.name}”` }).click();
  await details.getByText(/Restore restore-\d+: Northflank says “in-progress”/).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: `${ARTIFACTS}/actions-northflank-restoring.png` });
  await details.getByText(new RegExp(`Restore restore-\\d+ of “${backup.name}”: Northflank says “completed”`)).waitFor({ timeout: 15_000 });
  await details.getByText(/Last restore: completed, started .*, finished /).waitFor();
  assert.equal((await requests('POST', `/backups/${backup.id}/restore`)).length, 1, 'one restore');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the download link is fetched when asked for and shown as a link', async () => {
  const { context, page, errors } = await openDemo();
  const backup = await pick(['completed']);
  const details = await openDetails(page, backup.name);
  assert.equal((await requests('GET', `/backups/${backup.id}/download-link`)).length, 0, 'not before the click');
  await details.getByRole('button', { name: 'Get a download link' }).click();
  const link = details.getByRole('link', { name: `Download “${backup.name}”` });
  await link.waitFor({ timeout: 15_000 });
  assert.equal((await requests('GET', `/backups/${backup.id}/download-link`)).length, 1);
  const href = await link.getAttribute('href');
  assert.ok(href.startsWith(`${SIM}/northflank/_downloads/`), href);
  const file = await fetch(href);
  assert.equal(file.status, 200);
  assert.match(await file.text(), new RegExp(backup.id));
  await page.screenshot({ path: `${ARTIFACTS}/actions-northflank-download.png` });

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// Runs on the static site: the simulator inside the page has the same seed as the server, so
// the same backups (this file's other tests do not touch the in-page one).
test('in the in-page demo the download link is offered as a Blob URL of the file', async () => {
  const { page, errors, close } = await openStaticSite(browser, SITE, '/demo-site/');
  try {
    await demoSource(page, LABEL);
    const backup = (await simBackups()).find((b) => b.status === 'completed' && /^postgres-[a-z-]+-\d+$/.test(b.name));
    const details = await openDetails(page, backup.name);
    await details.getByRole('button', { name: 'Get a download link' }).click();
    const link = details.getByRole('link', { name: `Download “${backup.name}”` });
    await link.waitFor({ timeout: 15_000 });
    assert.match(await link.getAttribute('href'), /^blob:/);
    assert.equal(await link.getAttribute('download'), `${backup.id}.dump`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), `${backup.id}.dump`);
    assert.match(await readFile(await download.path(), 'utf8'), new RegExp(`Simulated Northflank backup ${backup.id}`));
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
