// Creating a ServerAvatar backup through the SPA (seeds/serveravatar-create-backup.txt):
// SPA in Chromium -> worker -> simulator. Every invalid case of the document is stopped in the
// browser (message next to its field, nothing sent); valid instant and scheduled backups are
// sent once and show up in the list; the provider's errors come back next to their fields.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import {
  launch, openApp, resetSimulator, addServerAvatar, simLog, addFault, findBackupRow, openSource, SIM, WORKER, ARTIFACTS,
} from './helpers.mjs';

const LABEL = 'SA create e2e';
const CREATE_PATH = '/serveravatar/organizations/5/servers/';

let browser;
let config;
before(async () => {
  await resetSimulator();
  config = (await (await fetch(SIM + '/_demo/config')).json()).config;
  browser = await launch();
});
after(async () => browser?.close());

const form = (page) => page.locator('form.create-form');
const byLabel = (page, label) => form(page).getByLabel(label, { exact: true });
const fieldError = (page, field) => page.locator(`#sa-create-${field}-error`);
const submitButton = (page) => form(page).locator('button[type="submit"]');

const LABELS = {
  server: 'Server id',
  name: 'Backup name',
  type: 'What to back up',
  application_id: 'Application id',
  database_id: 'Database id',
  application_extension: 'Files archive format',
  database_extension: 'Database dump format',
  provider: 'Cloud storage',
  cloud_storage_provider_id: 'Cloud storage id',
  retention_period: 'Retention period',
  schedule: 'Schedule',
  start_backup: 'Start at (UTC)',
};
const SELECTS = new Set(['type', 'application_extension', 'database_extension', 'provider', 'retention_period', 'schedule']);

/// A valid instant backup and a valid automatic one (the simulator's ids: server 15,
/// application 4246, database 4223, wasabi storage 10).
const INSTANT = {
  automatic: false, server: '15', name: '', type: 'application', application_id: '4246', database_id: '4223',
  application_extension: '.tar.gz', database_extension: '.sql.gz', provider: 'wasabi',
  cloud_storage_provider_id: '10', retention_period: '',
};
const AUTOMATIC = {
  automatic: true, from_now: true, server: '15', type: 'application', application_id: '4246', database_id: '4223',
  application_extension: '.tar.gz', database_extension: '.sql.gz', provider: 'wasabi',
  cloud_storage_provider_id: '10', retention_period: '', schedule: 'Every Day',
};

/// "Y-m-d H:i" in UTC, `days` from now.
const startIn = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16).replace('T', ' ');

/// Fills the form: the kind of backup and "start from now" first (they decide which fields
/// exist), then every field in the object's order; `undefined` leaves a field alone.
async function fill(page, values) {
  if (values.automatic !== undefined) {
    await byLabel(page, values.automatic ? 'Automatic backup plan' : 'Instant backup').check();
  }
  if (values.from_now !== undefined) await byLabel(page, 'Start from now').setChecked(values.from_now);
  for (const [field, value] of Object.entries(values)) {
    if (!(field in LABELS) || value === undefined) continue;
    const control = byLabel(page, LABELS[field]);
    if (SELECTS.has(field)) await control.selectOption({ value });
    else await control.fill(value);
  }
}

async function posts() {
  return (await simLog()).filter((e) => e.method === 'POST');
}

/// A fresh page with the demo ServerAvatar organization added through the form, its list loaded.
async function openWithConnection() {
  const app = await openApp(browser);
  const browserPosts = [];
  app.page.on('request', (r) => { if (r.method() === 'POST') browserPosts.push(r.url()); });
  await addServerAvatar(app.page, { label: LABEL, token: 'sa-demo-token', organization: '5' });
  await status(app.page).locator('.conn-status.ok').waitFor({ timeout: 30_000 });
  await openSource(app.page, LABEL);
  await form(app.page).waitFor();
  return { ...app, browserPosts };
}

const status = (page) => page.locator('li.connection', { hasText: LABEL });
/// How many backups the source's page lists (its count reads "(N)" or "(shown of N)").
async function listed(page) {
  const text = await page.locator('.backups .count').textContent();
  return Number(text.match(/^\((?:\d+ of )?(\d+)\)$/)[1]);
}
async function waitListed(page, n) {
  await page.locator('.backups .count', { hasText: new RegExp(`(\\(| of )${n}\\)$`) }).waitFor({ timeout: 30_000 });
}

/// Submits and checks the form refused: `message` next to `field` (and only there), the field
/// marked invalid and described by its message, focused, and nothing sent.
async function expectRefused(page, browserPosts, field, message, how = 'click') {
  const simBefore = (await posts()).length;
  const browserBefore = browserPosts.length;
  if (how === 'enter') await page.keyboard.press('Enter');
  else await submitButton(page).click();
  const error = fieldError(page, field);
  await error.waitFor({ timeout: 5_000 });
  const text = await error.textContent();
  assert.ok(text.includes(message), `${field}: expected "${message}", got "${text}"`);
  assert.ok(text.includes('⚠') && text.includes('Error:'), 'an icon and a word, not only a color');
  const control = page.locator(`#sa-create-${field}`);
  assert.equal(await control.getAttribute('aria-invalid'), 'true', field);
  assert.ok((await control.getAttribute('aria-describedby')).split(' ').includes(`sa-create-${field}-error`), field);
  const shown = await form(page).locator('.field-error').evaluateAll((els) => els.map((e) => e.id));
  assert.deepEqual(shown, [`sa-create-${field}-error`], 'only the broken field is flagged');
  assert.equal(await page.evaluate(() => document.activeElement?.id), `sa-create-${field}`, 'focus on the field');
  await form(page).locator('.form-status', { hasText: 'Nothing was sent' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal((await posts()).length, simBefore, `${field}: the simulator received no POST`);
  assert.equal(browserPosts.length, browserBefore, `${field}: the browser sent no POST`);
}

test('the create form lives on a ServerAvatar source\'s page, for that organization only', async () => {
  const { context, page, errors } = await openApp(browser);
  await page.getByRole('heading', { name: 'No sources yet' }).waitFor();
  assert.equal(await form(page).count(), 0);
  await addServerAvatar(page, { label: LABEL, token: 'sa-demo-token', organization: '5' });
  await status(page).locator('.conn-status.ok').waitFor({ timeout: 30_000 });
  await openSource(page, LABEL);
  await form(page).waitFor();
  assert.match(await page.locator('.page-sub').textContent(), /^ServerAvatar · organization 5$/);
  assert.equal(await form(page).getByLabel('ServerAvatar connection', { exact: true }).count(), 0, 'no choice to make');
  assert.deepEqual(errors, []);
  await context.close();
});

test('fields appear and disappear as CreateForm::applicable() says', async () => {
  const { context, page, errors } = await openWithConnection();
  const visible = async (label) => (await byLabel(page, label).count()) > 0 && byLabel(page, label).isVisible();
  // Instant backup (the default): a name, no schedule or start.
  assert.equal(await byLabel(page, 'Instant backup').isChecked(), true);
  assert.equal(await visible('Backup name'), true);
  assert.equal(await visible('Schedule'), false);
  assert.equal(await visible('Start from now'), false);
  assert.equal(await visible('Start at (UTC)'), false);
  assert.equal(await visible('Retention period'), true);
  // Extensions by type.
  assert.equal(await visible('Files archive format'), false);
  assert.equal(await visible('Database dump format'), false);
  for (const [type, files, dump] of [['application', true, true], ['filesystem', true, false], ['database', false, true]]) {
    await byLabel(page, 'What to back up').selectOption(type);
    assert.equal(await visible('Files archive format'), files, `${type}: archive format`);
    assert.equal(await visible('Database dump format'), dump, `${type}: dump format`);
  }
  // The select lists are the document's.
  assert.deepEqual(await byLabel(page, 'Schedule').count(), 0);
  await byLabel(page, 'Automatic backup plan').check();
  assert.equal(await visible('Backup name'), false);
  assert.equal(await visible('Schedule'), true);
  assert.equal(await byLabel(page, 'Start from now').isChecked(), true);
  assert.equal(await visible('Start at (UTC)'), false);
  await byLabel(page, 'Start from now').uncheck();
  assert.equal(await visible('Start at (UTC)'), true);
  const values = (label) => byLabel(page, label).locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(await values('Schedule'), ['Every Hour', 'Every 3 Hours', 'Every 6 Hours', 'Every 12 Hours', 'Every Day',
    'Every 2 Days', 'Every Week', 'Every Month', 'Twice a Month', 'Every 3 Months', 'Every 6 Months', 'Every Year']);
  assert.deepEqual(await values('Retention period'), ['1 Month', '2 Months', '3 Months', '6 Months', '12 Months', '24 Months']);
  assert.deepEqual(await values('Cloud storage'), ['gdrive', 'amazon_s3', 'dropbox', 'serveravatar', 'wasabi', 'custom_s3']);
  assert.deepEqual(await values('What to back up'), ['filesystem', 'database', 'application']);
  assert.deepEqual(await values('Database dump format'), ['.sql', '.sql.gz']);
  // Back to instant: the name typed before is still there.
  await byLabel(page, 'Instant backup').check();
  await byLabel(page, 'Backup name').fill('kept');
  await byLabel(page, 'Automatic backup plan').check();
  await byLabel(page, 'Instant backup').check();
  assert.equal(await byLabel(page, 'Backup name').inputValue(), 'kept');
  assert.deepEqual(errors, []);
  await context.close();
});

test('errors show once a field was touched, update as you type, and all show on submit; keyboard only', async () => {
  const { context, page, errors, browserPosts } = await openWithConnection();
  assert.equal(await form(page).locator('.field-error').count(), 0, 'nothing flagged before anyone typed');
  const server = byLabel(page, 'Server id');
  await server.focus();
  await page.keyboard.type('x');
  assert.equal(await fieldError(page, 'server').count(), 0, 'not while the field is first typed in');
  await page.keyboard.press('Tab');
  await fieldError(page, 'server').getByText('The server id is a number, like 15.').waitFor();
  // The focus moved on to the kind of backup (radio buttons, arrow keys choose).
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'automatic_backup');
  await server.focus();
  await page.keyboard.press('Backspace');
  await fieldError(page, 'server').getByText('Choose the server to back up.').waitFor();
  await page.keyboard.type('15');
  await fieldError(page, 'server').waitFor({ state: 'detached' });
  assert.equal(await server.getAttribute('aria-invalid'), null);
  assert.equal(await form(page).locator('.field-error').count(), 0, 'untouched fields stay quiet');

  // Enter submits: every missing required field is flagged at once, the first one focused.
  const simBefore = (await posts()).length;
  await page.keyboard.press('Enter');
  for (const [field, message] of [
    ['type', 'Choose what to back up: filesystem, database or application.'],
    ['application_id', 'The application id is required.'],
    ['provider', 'Choose a cloud storage provider.'],
    ['cloud_storage_provider_id', 'The cloud storage provider id is required.'],
  ]) {
    await fieldError(page, field).getByText(message).waitFor();
  }
  assert.equal(await form(page).locator('.field-error').count(), 4);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'sa-create-type');
  await form(page).getByText('Nothing was sent: 4 fields need a fix').waitFor();

  // Keyboard: arrow keys switch to an automatic plan, space unticks "start from now".
  await page.locator('input[name="automatic_backup"][value="0"]').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await byLabel(page, 'Automatic backup plan').isChecked(), true);
  await byLabel(page, 'Start from now').focus();
  await page.keyboard.press('Space');
  await fieldError(page, 'schedule').getByText('A schedule is required for automatic backups.').waitFor();
  await fieldError(page, 'start_backup').getByText('Give a start date and time, or start from now.').waitFor();
  await byLabel(page, 'Start at (UTC)').fill('2020-01-01 10:00');
  await fieldError(page, 'start_backup').getByText('The start must be in the future.').waitFor();
  await page.locator('#create-title').evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: `${ARTIFACTS}/create-form.png`, fullPage: false });

  const axe = await new AxeBuilder({ page }).include('section.create-backup').analyze();
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);
  await page.waitForTimeout(300);
  assert.equal((await posts()).length, simBefore);
  assert.deepEqual(browserPosts, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('every invalid case of the document is refused next to its field, and nothing is sent', async () => {
  const { context, page, errors, browserPosts } = await openWithConnection();
  const cases = [
    ['missing server', { ...INSTANT, server: '' }, 'server', 'Choose the server to back up.'],
    ['server not a number', { ...INSTANT, server: 'web-1' }, 'server', 'The server id is a number, like 15.'],
    ['missing provider', { ...INSTANT, provider: '' }, 'provider', 'Choose a cloud storage provider.'],
    ['missing cloud_storage_provider_id', { ...INSTANT, cloud_storage_provider_id: '' }, 'cloud_storage_provider_id',
      'The cloud storage provider id is required.'],
    ['cloud_storage_provider_id not numeric', { ...INSTANT, cloud_storage_provider_id: 'ten' },
      'cloud_storage_provider_id', 'The cloud storage provider id is a number.'],
    ['missing type', { ...INSTANT, type: '', application_extension: undefined, database_extension: undefined }, 'type',
      'Choose what to back up: filesystem, database or application.'],
    ['missing application_id', { ...INSTANT, application_id: '' }, 'application_id', 'The application id is required.'],
    ['missing application_id (database backup)', { ...INSTANT, type: 'database', application_extension: undefined,
      application_id: '' }, 'application_id', 'The application id is required.'],
    ['application_id not numeric', { ...INSTANT, application_id: '42x' }, 'application_id',
      'The application id is a number.'],
    ['database_id not numeric', { ...INSTANT, database_id: 'db' }, 'database_id', 'The database id is a number, like 4223.'],
    ['schedule missing with automatic backup', { ...AUTOMATIC, schedule: '' }, 'schedule',
      'A schedule is required for automatic backups.'],
    ['retention missing with serveravatar storage', { ...INSTANT, provider: 'serveravatar', cloud_storage_provider_id: '3' },
      'retention_period', "A retention period is required when storing on ServerAvatar's own storage."],
    ['retention missing with serveravatar storage (automatic)', { ...AUTOMATIC, provider: 'serveravatar',
      cloud_storage_provider_id: '3' }, 'retention_period',
      "A retention period is required when storing on ServerAvatar's own storage."],
    ['start_backup missing, start_backup_from_now off', { ...AUTOMATIC, from_now: false, start_backup: '' },
      'start_backup', 'Give a start date and time, or start from now.'],
    ['start_backup in the past', { ...AUTOMATIC, from_now: false, start_backup: '2023-07-13 17:49' }, 'start_backup',
      'The start must be in the future.'],
    ['start_backup a minute ago', { ...AUTOMATIC, from_now: false, start_backup: startIn(-1 / 1440) }, 'start_backup',
      'The start must be in the future.'],
    ['start_backup in the wrong format', { ...AUTOMATIC, from_now: false, start_backup: '13/07/2030 17:49' },
      'start_backup', 'Use the format YYYY-MM-DD HH:MM, like 2023-07-13 17:49.'],
    ['start_backup with seconds', { ...AUTOMATIC, from_now: false, start_backup: '2030-07-13 17:49:00' },
      'start_backup', 'Use the format YYYY-MM-DD HH:MM, like 2023-07-13 17:49.'],
    ['application_extension missing (application)', { ...INSTANT, application_extension: '' },
      'application_extension', 'Choose the archive format: .tar or .tar.gz.'],
    ['application_extension missing (filesystem)', { ...INSTANT, type: 'filesystem', database_extension: undefined,
      application_extension: '' }, 'application_extension', 'Choose the archive format: .tar or .tar.gz.'],
    ['database_extension missing (application)', { ...INSTANT, database_extension: '' }, 'database_extension',
      'Choose the dump format: .sql or .sql.gz.'],
    ['database_extension missing (database)', { ...INSTANT, type: 'database', application_extension: undefined,
      database_extension: '' }, 'database_extension', 'Choose the dump format: .sql or .sql.gz.'],
  ];
  for (const [name, values, field, message] of cases) {
    try {
      await fill(page, values);
      await expectRefused(page, browserPosts, field, message);
    } catch (e) {
      e.message = `case "${name}": ${e.message}`;
      throw e;
    }
  }
  // The same form, once fixed, goes through: the rules were the only thing stopping it.
  await fill(page, { ...INSTANT, name: 'after the invalid cases' });
  const before = (await posts()).length;
  await submitButton(page).click();
  await form(page).getByRole('status').getByText('Backup Process has been started successfully!').waitFor({ timeout: 30_000 });
  assert.equal((await posts()).length, before + 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a valid instant backup and a valid scheduled backup are sent once each and appear in the list', async () => {
  const { context, page, errors, browserPosts } = await openWithConnection();
  let count = await listed(page);

  // Instant, submitted with the keyboard (Enter in the name field).
  const instantName = `E2E instant ${Date.now()}`;
  await fill(page, { ...INSTANT, name: instantName });
  let before = (await posts()).length;
  await byLabel(page, 'Backup name').press('Enter');
  await form(page).getByRole('status').getByText('Backup Process has been started successfully!').waitFor({ timeout: 30_000 });
  let sent = (await posts()).slice(before);
  assert.equal(sent.length, 1, 'exactly one POST for one submit');
  assert.equal(sent[0].path, CREATE_PATH + '15/backups');
  assert.equal(sent[0].status, 200);
  let body = JSON.parse(sent[0].body);
  assert.equal(body.name, instantName);
  assert.equal(Number(body.automatic_backup), 0);
  assert.equal(body.type, 'application');
  assert.equal(body.provider, 'wasabi');
  assert.equal(body.cloud_storage_provider_id, 10);
  assert.equal(body.application_id, 4246);
  assert.equal(body.database_id, 4223);
  assert.equal(body.application_extension, '.tar.gz');
  assert.equal(body.database_extension, '.sql.gz');
  for (const absent of ['schedule', 'start_backup', 'start_backup_from_now', 'retention_period']) {
    assert.ok(!(absent in body), `${absent} is not sent for an instant backup`);
  }
  assert.ok(sent[0].headers.includes('authorization'));
  await waitListed(page, count + 1);
  count += 1;
  const instantRow = await findBackupRow(page, instantName);
  assert.equal(await instantRow.getAttribute('data-provider'), 'serveravatar');
  // The form kept its values for the next one.
  assert.equal(await byLabel(page, 'Server id').inputValue(), '15');

  // Scheduled: automatic plan on ServerAvatar storage, database only, starting in three days.
  const start = startIn(3);
  await fill(page, {
    ...AUTOMATIC, from_now: false, type: 'database', application_extension: undefined, application_id: '92',
    database_id: '51', database_extension: '.sql', provider: 'serveravatar', cloud_storage_provider_id: '3',
    retention_period: '3 Months', schedule: 'Every 6 Months', start_backup: start,
  });
  before = (await posts()).length;
  await submitButton(page).click();
  await form(page).getByRole('status').getByText('Backup plan created successfully.').waitFor({ timeout: 30_000 });
  sent = (await posts()).slice(before);
  assert.equal(sent.length, 1, 'exactly one POST for one submit');
  assert.equal(sent[0].status, 200);
  body = JSON.parse(sent[0].body);
  assert.equal(Number(body.automatic_backup), 1);
  assert.equal(body.schedule, 'Every 6 Months');
  assert.equal(body.retention_period, '3 Months');
  assert.equal(body.start_backup, start);
  assert.equal(Number(body.start_backup_from_now), 0);
  assert.equal(body.type, 'database');
  assert.equal(body.database_extension, '.sql');
  assert.ok(!('name' in body) && !('application_extension' in body));
  await waitListed(page, count + 1);
  const planRow = await findBackupRow(page, 'Every 6 Months');
  assert.match(await planRow.textContent(), /scheduled/i);
  assert.equal(browserPosts.length, 2);
  for (const u of browserPosts) assert.ok(u.startsWith(WORKER + '/proxy/serveravatar/organizations/5/servers/15/backups'), u);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the provider's errors are shown, next to their field when they have one, and the values stay", async () => {
  const { context, page, errors } = await openWithConnection();
  const alert = () => form(page).locator('.form-status [role="alert"]');

  // Not enough disk space on the full server (documented 500; no field of its own).
  await fill(page, { ...INSTANT, server: '36', name: 'too big' });
  let before = (await posts()).length;
  await submitButton(page).click();
  await alert().getByText('Instant Backup is failed because you do not have enough disk space available on your server.').waitFor({ timeout: 30_000 });
  let sent = (await posts()).slice(before);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].status, 500);
  assert.equal(await byLabel(page, 'Server id').inputValue(), '36');
  assert.equal(await byLabel(page, 'Backup name').inputValue(), 'too big');
  assert.equal(await byLabel(page, 'What to back up').inputValue(), 'application');
  assert.equal(await byLabel(page, 'Cloud storage').inputValue(), 'wasabi');
  assert.equal(await byLabel(page, 'Cloud storage id').inputValue(), '10');
  assert.equal(await form(page).getByRole('status').count(), 0, 'no success message');

  // Unknown server: the documented 404, next to the server id.
  await byLabel(page, 'Server id').fill('77');
  before = (await posts()).length;
  await submitButton(page).click();
  await alert().getByText('ServerAvatar answered 404: Server not found!').waitFor({ timeout: 30_000 });
  assert.equal((await posts()).length, before + 1);
  assert.ok((await fieldError(page, 'server').textContent()).includes('Server not found!'));
  assert.equal(await byLabel(page, 'Server id').getAttribute('aria-invalid'), 'true');
  assert.equal(await byLabel(page, 'Server id').inputValue(), '77');
  assert.equal(await byLabel(page, 'Backup name').inputValue(), 'too big');
  // Editing the field takes the server's complaint away.
  await byLabel(page, 'Server id').fill('15');
  await fieldError(page, 'server').waitFor({ state: 'detached' });

  // Unknown cloud storage: next to its id.
  await byLabel(page, 'Cloud storage id').fill('999');
  before = (await posts()).length;
  await submitButton(page).click();
  await fieldError(page, 'cloud_storage_provider_id').getByText('Cloud storage Provider not found!').waitFor({ timeout: 30_000 });
  assert.equal((await posts()).length, before + 1);
  assert.equal(await byLabel(page, 'Cloud storage id').inputValue(), '999');

  // Unknown application: next to its id.
  await byLabel(page, 'Cloud storage id').fill('10');
  await byLabel(page, 'Application id').fill('1234');
  await submitButton(page).click();
  await fieldError(page, 'application_id').getByText('Application not found!').waitFor({ timeout: 30_000 });
  await byLabel(page, 'Application id').fill('4246');

  // A Laravel 422 with field errors (a provider stricter than the document): each message next
  // to its field, the summary in the alert.
  await addFault({
    path_prefix: CREATE_PATH + '15/backups', times: 1,
    fault: {
      kind: 'respond', status: 422, headers: [['Content-Type', 'application/json']],
      body: JSON.stringify({
        message: 'The selected provider is invalid. (and 1 more error)',
        errors: { provider: ['The selected provider is invalid.'], database_extension: ['The database extension field is required.'] },
      }),
    },
  });
  before = (await posts()).length;
  await submitButton(page).click();
  await alert().getByText('The selected provider is invalid. (and 1 more error)').waitFor({ timeout: 30_000 });
  await fieldError(page, 'provider').getByText('The selected provider is invalid.').waitFor();
  await fieldError(page, 'database_extension').getByText('The database extension field is required.').waitFor();
  assert.equal((await posts()).length, before + 1);
  assert.equal(await byLabel(page, 'Cloud storage').inputValue(), 'wasabi');
  await page.locator('#create-title').evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: `${ARTIFACTS}/create-server-errors.png`, fullPage: false });
  assert.deepEqual(errors, []);
  await context.close();
});

test('no double create: the button is disabled while the request is in flight', async () => {
  const { context, page, errors, browserPosts } = await openWithConnection();
  const count = await listed(page);
  await addFault({ path_prefix: CREATE_PATH + '15/backups', times: 1, fault: { kind: 'latency', ms: 2500 } });
  await fill(page, { ...INSTANT, name: 'only once' });
  const before = (await posts()).length;
  await submitButton(page).click();
  await page.waitForFunction(() => document.querySelector('form.create-form button[type="submit"]').disabled);
  assert.equal(await submitButton(page).textContent(), 'Creating…');
  assert.equal(await submitButton(page).getAttribute('aria-busy'), 'true');
  // Clicking again, pressing Enter and submitting from script all do nothing while it is sent.
  await submitButton(page).click({ force: true });
  await byLabel(page, 'Backup name').press('Enter');
  await page.evaluate(() => document.querySelector('form.create-form').requestSubmit());
  await form(page).getByRole('status').getByText('Backup Process has been started successfully!').waitFor({ timeout: 30_000 });
  assert.equal(await submitButton(page).isDisabled(), false);
  assert.equal((await posts()).length, before + 1, 'exactly one POST');
  assert.equal(browserPosts.length, 1);
  await waitListed(page, count + 1);
  await findBackupRow(page, 'only once');
  assert.deepEqual(errors, []);
  await context.close();
});
