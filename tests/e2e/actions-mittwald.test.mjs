// Every mittwald backup action through the SPA: SPA in Chromium -> worker ->
// simulator, with the demo connections ("Try the demo"). The core's validators stop bad input
// next to its field with nothing sent (checked in the simulator's log), every action is sent
// once, the provider's answer is shown, and the list follows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { launch, openApp, resetSimulator, simLog, addFault, findBackupRow, demoSource, SIM, ARTIFACTS } from './helpers.mjs';

const PROJECT = '3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10';
const TOKEN = 'mw-demo-token';

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

/// The simulator's mittwald API, read directly (to pick backups with the properties a test needs).
async function mwGet(path) {
  const r = await fetch(`${SIM}/mittwald${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(r.status, 200, path);
  return r.json();
}

const plainName = (b) => /^(Daily backup|Before update|Manual) \d+$/.test(b.description ?? '');

async function pickBackup(predicate, what) {
  const list = await mwGet(`/v2/projects/${PROJECT}/backups`);
  const found = list.find((b) => plainName(b) && predicate(b));
  assert.ok(found, `the demo data has ${what}`);
  return found;
}

/// A fresh simulator (fast operations) and page with the demo connections loaded.
async function start(knobs = { operation_ms: 500 }) {
  await resetSimulator(knobs);
  const app = await openApp(browser);
  const { page } = app;
  await demoSource(page, 'mittwald shop project');
  const config = (await (await fetch(SIM + '/_demo/config')).json()).config;
  await page.locator('.backups .count', { hasText: `(${config.mittwald})` }).waitFor({ timeout: 60_000 });
  const tools = page.locator('section.mw-tools');
  await tools.waitFor();
  return { ...app, tools };
}

/// Entries the simulator logged since `from` (an index), for mittwald, without the list reads.
async function logSince(from) {
  return (await simLog()).slice(from).filter((e) => e.path.startsWith('/mittwald/'));
}
const logLength = async () => (await simLog()).length;
const writes = (entries) => entries.filter((e) => e.method !== 'GET');

async function openDetails(page, name) {
  const row = await findBackupRow(page, name, { provider: 'mittwald' });
  await row.locator('td.name button').click();
  const panel = page.locator('aside.details');
  await panel.locator('#details-title', { hasText: name }).waitFor();
  return panel;
}

const plus = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);

test('create a backup: invalid input is stopped at its field, a valid one is sent once and listed', async () => {
  const { context, page, tools, errors } = await start();
  const form = tools.locator('form.mw-create');
  const description = form.getByLabel('Description', { exact: true });
  const expiration = form.getByLabel('Keep until (UTC)');
  const error = form.locator('.field-error');

  const from = await logLength();
  await description.fill('e2e created backup');
  for (const [value, message] of [[plus(2), /at least 7 days/], [plus(400), /at most 1 year/], ['', /Choose until when/]]) {
    await expiration.fill(value);
    await form.getByRole('button', { name: 'Create backup' }).click();
    await error.filter({ hasText: message }).waitFor();
    assert.equal(await expiration.getAttribute('aria-invalid'), 'true');
    assert.ok(await expiration.evaluate((el) => el === document.activeElement), 'the field with the error has the focus');
    assert.equal(await description.inputValue(), 'e2e created backup', 'what was typed stays');
  }
  assert.deepEqual(writes(await logSince(from)), [], 'nothing was sent for invalid input');
  // Typing in the field takes its message away.
  await expiration.fill(plus(20));
  assert.equal(await error.count(), 0);

  // Two submits in a row (the button is disabled while busy; the form's own guard holds too).
  await addFault({ path_prefix: `/mittwald/v2/projects/${PROJECT}/backups`, fault: { kind: 'latency', ms: 1000 }, times: 1 });
  await form.evaluate((f) => { f.requestSubmit(); f.requestSubmit(); });
  await form.getByRole('button', { name: 'Create backup' }).and(page.locator(':disabled')).waitFor();
  await form.getByRole('status').filter({ hasText: 'mittwald created the backup “e2e created backup”' }).waitFor({ timeout: 15_000 });
  const posts = writes(await logSince(from));
  assert.equal(posts.length, 1, 'one POST');
  assert.equal(posts[0].path, `/mittwald/v2/projects/${PROJECT}/backups`);
  assert.equal(posts[0].status, 201);
  const body = JSON.parse(posts[0].body);
  assert.equal(body.description, 'e2e created backup');
  assert.match(body.expirationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  await findBackupRow(page, 'e2e created backup', { provider: 'mittwald' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('delete: cancel sends nothing; confirming deletes once and the row goes; a kept backup offers no delete', async () => {
  const { context, page, tools, errors } = await start();
  const kept = await pickBackup((b) => !b.deletable, 'a backup mittwald keeps');
  const target = await pickBackup((b) => b.deletable, 'a deletable backup');

  let panel = await openDetails(page, kept.description);
  await panel.locator('.mw-actions').waitFor();
  assert.equal(await panel.getByRole('button', { name: 'Delete backup' }).count(), 0, 'no delete for a kept backup');
  await panel.getByText('cannot be deleted').waitFor();
  await panel.getByRole('button', { name: 'Close the details' }).click();

  panel = await openDetails(page, target.description);
  const from = await logLength();
  await panel.getByRole('button', { name: 'Delete backup' }).click();
  const dialog = panel.getByRole('alertdialog');
  await dialog.getByText(`Delete the backup “${target.description}” at mittwald?`).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await panel.getByRole('button', { name: 'Delete backup' }).waitFor();
  assert.deepEqual(writes(await logSince(from)), [], 'cancel sends nothing');

  await panel.getByRole('button', { name: 'Delete backup' }).click();
  await panel.getByRole('button', { name: `Delete “${target.description}”` }).click();
  await tools.getByRole('status').filter({ hasText: `mittwald deleted the backup “${target.description}”.` }).waitFor();
  const sent = writes(await logSince(from));
  assert.equal(sent.length, 1);
  assert.equal(sent[0].method, 'DELETE');
  assert.equal(sent[0].path, `/mittwald/v2/project-backups/${target.id}`);
  assert.equal(sent[0].status, 204);
  await page.locator('input[type="search"]').fill(target.description);
  await page.locator('table.backup-table tbody tr[data-provider="mittwald"]', { hasText: target.description })
    .waitFor({ state: 'detached' });
  assert.equal((await mwGet(`/v2/projects/${PROJECT}/backups`)).some((b) => b.id === target.id), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('export: validated, polled until the download link and its checksum show; the export can be deleted', async () => {
  const { context, page, errors } = await start();
  const target = await pickBackup((b) => b.status === 'Completed' && !b.export, 'a completed backup without export');
  const panel = await openDetails(page, target.description);
  const form = panel.getByRole('form', { name: 'Export the backup' });
  const state = panel.locator('.mw-export-state');
  await state.filter({ hasText: 'Not exported.' }).waitFor();

  const from = await logLength();
  await form.getByLabel('Archive password').fill('   ');
  await form.getByRole('button', { name: 'Export' }).click();
  await form.locator('.field-error', { hasText: 'cannot be only spaces' }).waitFor();
  assert.deepEqual(writes(await logSince(from)), []);

  await form.getByLabel('Archive format').selectOption('zip');
  await form.getByLabel('Archive password').fill('s3cret pass');
  await form.getByRole('button', { name: 'Export' }).click();
  await state.filter({ hasText: /Export \(zip, with password\): (Pending|Exporting)/ }).waitFor();
  await state.filter({ hasText: 'Export (zip, with password): Completed' }).waitFor({ timeout: 20_000 });
  await panel.getByRole('status').filter({ hasText: 'The export is ready to download.' }).waitFor();
  const link = panel.getByRole('link', { name: 'Download the export (zip)' });
  await link.waitFor();
  const checksum = (await panel.locator('.mw-checksum').textContent()).trim();
  assert.match(checksum, /^[0-9a-f]{64}$/);
  const bytes = Buffer.from(await (await fetch(await link.getAttribute('href'))).arrayBuffer());
  assert.equal(createHash('sha256').update(bytes).digest('hex'), checksum, 'the checksum shown is the archive’s');
  const sent = writes(await logSince(from));
  assert.equal(sent.length, 1);
  assert.equal(sent[0].path, `/mittwald/v2/project-backups/${target.id}/export`);
  assert.deepEqual(JSON.parse(sent[0].body), { format: 'zip', password: 's3cret pass' });
  const polls = (await logSince(from)).filter((e) => e.method === 'GET' && e.path === `/mittwald/v2/project-backups/${target.id}`);
  assert.ok(polls.length >= 2, 'the backup was read again until the export settled');

  await panel.screenshot({ path: `${ARTIFACTS}/actions-mittwald.png` });

  const before = await logLength();
  await panel.getByRole('button', { name: 'Delete export' }).click();
  await panel.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(writes(await logSince(before)), []);
  await panel.getByRole('button', { name: 'Delete export' }).click();
  await panel.getByRole('button', { name: 'Delete the export' }).click();
  await panel.getByRole('status').filter({ hasText: 'mittwald deleted the export.' }).waitFor();
  await state.filter({ hasText: 'Not exported.' }).waitFor();
  const deleted = writes(await logSince(before));
  assert.deepEqual(deleted.map((e) => [e.method, e.path, e.status]), [['DELETE', `/mittwald/v2/project-backups/${target.id}/export`, 204]]);

  // Polling stops when the panel closes: export again, close at once, and no more reads come.
  await form.getByRole('button', { name: 'Export' }).click();
  await state.filter({ hasText: /Export \(zip\): (Pending|Exporting)/ }).waitFor();
  await panel.getByRole('button', { name: 'Close the details' }).click();
  const closedAt = await logLength();
  await new Promise((r) => setTimeout(r, 4000));
  const after = (await logSince(closedAt)).filter((e) => e.path === `/mittwald/v2/project-backups/${target.id}`);
  assert.ok(after.length <= 1, `at most a read already under way after closing, got ${after.length}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('restore: pickers from the backup, validated, then running and completed', async () => {
  // Phases of 2 s, so "running" is seen before "completed".
  const { context, page, errors } = await start({ operation_ms: 2000 });
  const target = await pickBackup((b) => b.status === 'Completed' && !b.restore, 'a completed backup never restored');
  const dumps = (await mwGet(`/v2/project-backups/${target.id}/database-dumps`)).databases;
  const panel = await openDetails(page, target.description);
  await panel.getByRole('button', { name: 'Restore from this backup…' }).click();
  const form = panel.getByRole('form', { name: 'Restore from the backup' });
  const dbInput = form.getByLabel(`Restore ${dumps[0]} into database id`);
  await dbInput.waitFor();
  await form.getByRole('checkbox', { name: 'Restore /html', exact: true }).waitFor();

  const from = await logLength();
  await form.getByRole('button', { name: 'Start restore' }).click();
  await form.locator('.field-error', { hasText: 'Choose at least one database or path to restore.' }).waitFor();
  await dbInput.fill('not-a-uuid');
  await form.getByLabel('Restore into (optional)').fill('relative/path');
  await form.getByRole('button', { name: 'Start restore' }).click();
  await form.locator('.field-error', { hasText: 'Database 1: the target database id is a UUID' }).waitFor();
  await form.locator('.field-error', { hasText: 'Choose the paths to restore.' }).waitFor();
  await form.locator('.field-error', { hasText: 'The target path must start with /.' }).waitFor();
  assert.ok(await dbInput.evaluate((el) => el === document.activeElement), 'the first field with an error has the focus');
  assert.deepEqual(writes(await logSince(from)), [], 'nothing sent for invalid input');

  const database = '9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a';
  await dbInput.fill(database);
  await form.getByRole('button', { name: 'Open html' }).click();
  await form.getByRole('checkbox', { name: 'Restore /html/shop', exact: true }).check();
  await form.getByRole('button', { name: 'Open shop' }).click();
  await form.getByRole('checkbox', { name: 'Restore /html/shop/wp-config.php', exact: true }).check();
  await form.getByRole('button', { name: 'Up one level' }).click();
  await form.getByRole('checkbox', { name: 'Restore /html/shop', exact: true }).waitFor();
  assert.equal(await form.getByRole('checkbox', { name: 'Restore /html/shop', exact: true }).isChecked(), true, 'choices stay while browsing');
  await form.getByRole('checkbox', { name: 'Restore /html/shop', exact: true }).uncheck();
  await form.getByRole('button', { name: 'Remove /html/shop/wp-config.php' }).waitFor();
  await form.getByRole('checkbox', { name: 'Restore /html/current', exact: true }).check();
  await form.getByLabel('Restore into (optional)').fill('/html/restored');
  await form.getByLabel('Empty the target directory first').check();
  await form.getByRole('button', { name: 'Start restore' }).click();

  const state = panel.locator('.mw-restore-state');
  await state.filter({ hasText: 'Restore: running' }).waitFor();
  await state.filter({ hasText: 'Restore: completed' }).waitFor({ timeout: 20_000 });
  await panel.getByRole('status').filter({ hasText: 'The restore finished: completed.' }).waitFor();
  assert.match(await state.textContent(), /\/html\/shop\/wp-config\.php, \/html\/current → \/html\/restored/);
  const sent = writes(await logSince(from));
  assert.equal(sent.length, 1);
  assert.equal(sent[0].path, `/mittwald/v2/project-backups/${target.id}/restore`);
  assert.equal(sent[0].status, 204);
  assert.deepEqual(JSON.parse(sent[0].body), {
    databaseRestores: [{ databaseBackupDump: dumps[0], targetDatabaseId: database }],
    pathRestore: { sourcePaths: ['/html/shop/wp-config.php', '/html/current'], targetRestorePath: '/html/restored', clearTargetPath: true },
  });
  assert.deepEqual(errors, []);
  await context.close();
});

test('schedules: create, edit and delete with the core’s rules; the system schedule stays daily', async () => {
  const { context, page, tools, errors } = await start();
  const group = tools.getByRole('group', { name: 'Backup schedules' });
  const item = (text) => group.locator('li.mw-schedule', { hasText: text });
  await item('Daily system backup').waitFor();
  await item('Shop every six hours').waitFor();

  // Create: invalid first.
  const create = group.getByRole('form', { name: 'New schedule' });
  const from = await logLength();
  await create.getByLabel('Schedule description').fill('e2e nightly');
  await create.getByLabel('Schedule (cron)').fill('*/5 * * * *');
  await create.getByLabel('Keep backups for').fill('3d');
  await create.getByRole('button', { name: 'Create schedule' }).click();
  await create.locator('.field-error', { hasText: 'at most hourly' }).waitFor();
  await create.locator('.field-error', { hasText: 'Keep backups from 7 to 365 days' }).waitFor();
  assert.deepEqual(writes(await logSince(from)), []);
  await create.getByLabel('Schedule (cron)').fill('15 2 * * *');
  await create.getByLabel('Keep backups for').fill('45d');
  await create.getByRole('button', { name: 'Create schedule' }).click();
  await create.getByRole('status').filter({ hasText: 'mittwald created the schedule' }).waitFor();
  await item('e2e nightly').filter({ hasText: '15 2 * * * · keep 45d' }).waitFor();

  // Edit.
  await item('e2e nightly').getByRole('button', { name: 'Edit the schedule “e2e nightly”' }).click();
  const edit = item('e2e nightly').getByRole('form', { name: 'Edit the schedule' });
  assert.equal(await edit.getByLabel('Schedule (cron)').inputValue(), '15 2 * * *', 'the form starts from the schedule');
  await edit.getByLabel('Keep backups for').fill('400d');
  await edit.getByRole('button', { name: 'Save schedule' }).click();
  await edit.locator('.field-error', { hasText: 'Keep backups from 7 to 365 days' }).waitFor();
  await edit.getByLabel('Schedule (cron)').fill('0 */4 * * *');
  await edit.getByLabel('Keep backups for').fill('60d');
  await edit.getByRole('button', { name: 'Save schedule' }).click();
  await item('e2e nightly').filter({ hasText: '0 */4 * * * · keep 60d' }).waitFor();

  // Delete: cancel, then confirm.
  const mark = await logLength();
  await item('e2e nightly').getByRole('button', { name: 'Delete schedule' }).click();
  await item('e2e nightly').getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(writes(await logSince(mark)), []);
  await item('e2e nightly').getByRole('button', { name: 'Delete schedule' }).click();
  await item('e2e nightly').getByRole('button', { name: 'Delete the schedule “e2e nightly”' }).click();
  await group.getByRole('status').filter({ hasText: 'mittwald deleted the schedule “e2e nightly”.' }).waitFor();
  await item('e2e nightly').waitFor({ state: 'detached' });

  const sent = writes(await logSince(from));
  assert.deepEqual(sent.map((e) => [e.method, e.status]), [['POST', 201], ['PATCH', 204], ['DELETE', 204]]);
  assert.deepEqual(JSON.parse(sent[0].body), { schedule: '15 2 * * *', ttl: '45d', description: 'e2e nightly' });
  assert.deepEqual(JSON.parse(sent[1].body), { description: 'e2e nightly', schedule: '0 */4 * * *', ttl: '60d' });

  // The system schedule: no delete; more often than daily is stopped before sending.
  const system = item('Daily system backup');
  assert.equal(await system.getByRole('button', { name: 'Delete schedule' }).count(), 0);
  await system.getByRole('button', { name: 'Edit the schedule “Daily system backup”' }).click();
  const sysEdit = system.getByRole('form', { name: 'Edit the schedule' });
  const cron = sysEdit.getByLabel('Schedule (cron)');
  const before = await logLength();
  await cron.fill('0 * * * *');
  await sysEdit.getByRole('button', { name: 'Save schedule' }).click();
  await sysEdit.locator('.field-error', { hasText: 'The system backup must stay daily' }).waitFor();
  assert.deepEqual(writes(await logSince(before)), []);
  // Should mittwald refuse anyway (its 412), its words show at the field and as the answer.
  await addFault({
    path_prefix: '/mittwald/v2/project-backup-schedules/',
    fault: { kind: 'respond', status: 412, headers: [['Content-Type', 'application/json']],
      body: JSON.stringify({ type: 'PreconditionFailedError', message: 'the system backup schedule must run daily' }) },
    times: 1,
  });
  await cron.fill('0 4 * * *');
  await sysEdit.getByRole('button', { name: 'Save schedule' }).click();
  await sysEdit.getByRole('alert').filter({ hasText: 'mittwald answered 412: the system backup schedule must run daily' }).waitFor();
  await sysEdit.locator('.field-error', { hasText: 'mittwald refused: the system backup schedule must run daily' }).waitFor();
  assert.equal(await cron.inputValue(), '0 4 * * *', 'what was typed stays');
  // Without the fault, a daily change goes through.
  await sysEdit.getByRole('button', { name: 'Save schedule' }).click();
  await system.filter({ hasText: '0 4 * * * · keep 14d' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
