// Backup health: the overview's one line and one row per source, with the core's verdict as a
// word and a shape; a source's page with its reasons in words, the last good backup, a size
// chart and its threshold (kept on the device); the list's current view exported as CSV and
// JSON; running backups refreshing by themselves, and not while the tab is hidden.
//
// The simulator has no knob for verdicts, so the states are made from what exists: a 500 for
// one provider (Unknown: the listing failed), no generated ServerAvatar backups (Unknown: none
// at all) and then one created through the form (Healthy once it completes), and thresholds
// set on the source pages (expected every minute: Failing; the destination's long-stuck
// operations: Warning).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { launch, openApp, resetSimulator, addFault, addServerAvatar, go, openSource, WORKER, ARTIFACTS } from './helpers.mjs';

let browser;
before(async () => {
  await resetSimulator();
  browser = await launch();
});
after(async () => browser?.close());

const SA = 'ServerAvatar demo org';
const NF_ADDON = 'Northflank postgres addon';
const NF_DEST = 'Northflank offsite destination';
const MW = 'mittwald shop project';

const row = (page, label) => page.locator('tr.source-row').filter({ has: page.locator('a.source-link', { hasText: label }) });
const overviewVerdict = async (page, label) => (await row(page, label).locator('.col-verdict .verdict').textContent()).trim();
const panel = (page) => page.locator('section.source-health');
const verdictHere = async (page) => (await panel(page).locator('.section-head .verdict').textContent()).trim();
const reasonsHere = async (page) => panel(page).locator('ul.reasons li').allTextContents();

async function tryDemo(page) {
  await page.getByRole('button', { name: 'Try the demo' }).first().click();
  await page.locator('tr.source-row').nth(3).waitFor({ timeout: 60_000 });
  // Every source judged (none still reading its list).
  await page.waitForFunction(() => document.querySelectorAll('tr.source-row').length === 4
    && document.querySelectorAll('tr.source-row.verdict-checking').length === 0, null, { timeout: 60_000 });
}

/// Sets the open source's threshold through its form and waits for the page to say it.
async function setThreshold(page, label, amount, unit) {
  const form = panel(page).getByRole('form', { name: `Expected interval for ${label}` });
  await form.getByLabel('Expect a backup every').fill(String(amount));
  await form.getByLabel('Unit').selectOption(unit);
  await form.getByRole('button', { name: 'Save threshold' }).click();
  await panel(page).locator('dd.expected', { hasText: '(your threshold)' }).waitFor();
}

/// Fills and sends the ServerAvatar create form for an instant backup named `name`.
async function createServerAvatarBackup(page, name) {
  const form = page.locator('form.create-form');
  await form.getByLabel('Instant backup', { exact: true }).check();
  const SELECTS = new Set(['What to back up', 'Files archive format', 'Database dump format', 'Cloud storage']);
  for (const [label, value] of [['Server id', '15'], ['Backup name', name], ['What to back up', 'application'],
    ['Application id', '4246'], ['Database id', '4223'], ['Files archive format', '.tar.gz'], ['Database dump format', '.sql.gz'],
    ['Cloud storage', 'wasabi'], ['Cloud storage id', '10']]) {
    const control = form.getByLabel(label, { exact: true });
    if (SELECTS.has(label)) await control.selectOption({ value }); else await control.fill(value);
  }
  await form.locator('button[type="submit"]').click();
}


test('one row per source under one line; each verdict in words and shape; a source\'s page gives reasons and a described chart', async () => {
  // No generated ServerAvatar backups (the generated ones include long-stuck ones); mittwald's
  // listing fails.
  await resetSimulator({ serveravatar: 0, operation_ms: 1000 });
  await addFault({ path_prefix: '/mittwald/', fault: { kind: 'status', status: 500 } });
  const { context, page, errors } = await openApp(browser);
  await tryDemo(page);
  assert.equal(await page.locator('tr.source-row').count(), 4, 'one row per connection');

  // Unknown, twice: the listing failed, and nothing listed at all.
  assert.equal(await overviewVerdict(page, MW), '? Unknown');
  assert.equal(await row(page, MW).locator('.headline').textContent(), 'could not list backups: mittwald answered 500: internal server error');
  await openSource(page, MW);
  assert.equal(await verdictHere(page), '? Unknown');
  assert.deepEqual(await reasonsHere(page), ['could not list backups: mittwald answered 500: internal server error']);
  assert.equal(await panel(page).locator('dd.last-good').textContent(), 'none', 'nothing listed, no good backup');
  await openSource(page, SA);
  assert.equal(await verdictHere(page), '? Unknown');
  assert.deepEqual(await reasonsHere(page), ['no backups at all']);
  assert.match(await panel(page).locator('.chart-empty').textContent(), /nothing to chart/);

  // Healthy: a fresh backup, expected daily. It completes on its own (auto-refresh).
  await setThreshold(page, SA, 1, 'days');
  assert.equal(await verdictHere(page), '✕ Failing', 'expected daily, none at all');
  assert.deepEqual(await reasonsHere(page), ['no backups at all; expected every 1 d']);
  await createServerAvatarBackup(page, 'health e2e');
  await panel(page).locator('.section-head .verdict', { hasText: 'Healthy' }).waitFor({ timeout: 20_000 });
  assert.equal(await verdictHere(page), '✓ Healthy');
  assert.match((await reasonsHere(page))[0], /^last completed backup .+ ago; expected every 1 d$/);
  assert.match(await panel(page).locator('dd.last-good').textContent(), /^health e2e, (just now|\d+ min ago)$/);

  // Failing: the Northflank addon expected every minute, its newest backup a day old.
  await openSource(page, NF_ADDON);
  await setThreshold(page, NF_ADDON, 1, 'minutes');
  await panel(page).locator('.section-head .verdict', { hasText: 'Failing' }).waitFor();
  assert.match((await reasonsHere(page))[0], /^no completed backup for .+; expected every 1 min$/);
  // The chart, with a text alternative stating the range.
  const chart = panel(page).locator('.size-chart svg[role="img"]');
  const name = await chart.getAttribute('aria-label');
  assert.match(name, /^Northflank postgres addon: Size of \d+ completed backups? from \d{4}-\d\d-\d\d \d\d:\d\d UTC to \d{4}-\d\d-\d\d \d\d:\d\d UTC: smallest .+, largest .+, latest .+\.$/);
  assert.equal(await chart.locator('polyline').count(), 1);
  assert.ok(await chart.locator('circle').count() >= 2);
  assert.match(await panel(page).locator('dd.last-good').textContent(), /, \d+ d ago$/);

  // Warning: the Northflank destination fresh enough for a 60-day threshold, but with
  // operations running for far longer than any backup should.
  await openSource(page, NF_DEST);
  await setThreshold(page, NF_DEST, 60, 'days');
  await panel(page).locator('.section-head .verdict', { hasText: 'Warning' }).waitFor();
  const destReasons = await reasonsHere(page);
  assert.match(destReasons[0], /^(backup ".+" has been (running|waiting to start) for .+|\d+ failed in the last 7 d)$/, destReasons.join('\n'));
  assert.ok(destReasons.some((r) => /^backup ".+" has been (running|waiting to start) for .+$/.test(r)), destReasons.join('\n'));
  assert.ok(destReasons.some((r) => /^last completed backup .+ ago; expected every 60 d$/.test(r)), destReasons.join('\n'));

  // The overview: the answer in one line, the worst verdict beside it, a row per source.
  await go(page, 'Overview');
  assert.equal((await page.locator('.overview .summary > .verdict').textContent()).trim(), '✕ Failing');
  assert.equal(await page.locator('.summary-line').textContent(), '1 of 4 sources is backed up; 1 is failing, 1 has a warning, 1 cannot be checked.');
  assert.equal(await overviewVerdict(page, NF_ADDON), '✕ Failing');
  assert.equal(await overviewVerdict(page, NF_DEST), '▲ Warning');
  assert.equal(await overviewVerdict(page, SA), '✓ Healthy');
  assert.equal(await row(page, NF_ADDON).locator('.col-expected').textContent(), 'Expected: every 1 min');
  assert.match(await row(page, NF_ADDON).locator('.col-trend svg').getAttribute('aria-label'), /^Size of \d+ completed backups/);
  // Not only color: each verdict has its own shape and border style besides the word.
  const shapes = await page.locator('tr.source-row .col-verdict .verdict-icon').allTextContents();
  assert.equal(new Set(shapes).size, 4, `four different shapes, got ${shapes}`);
  await page.locator('section.overview').screenshot({ path: `${ARTIFACTS}/health-overview.png` });

  // Thresholds are kept on the device: a reload judges the same way.
  await page.reload();
  await row(page, NF_ADDON).locator('.verdict', { hasText: 'Failing' }).waitFor({ timeout: 60_000 });
  await row(page, SA).locator('.verdict', { hasText: 'Healthy' }).waitFor({ timeout: 60_000 });
  await openSource(page, NF_DEST);
  assert.equal(await panel(page).getByLabel('Expect a backup every').inputValue(), '60');
  assert.equal(await panel(page).getByLabel('Unit').inputValue(), 'days');

  // Clearing a threshold goes back to what is known (nothing, for the addon).
  await openSource(page, NF_ADDON);
  await panel(page).getByRole('button', { name: 'Clear threshold' }).click();
  await panel(page).locator('dd.expected', { hasText: 'not known' }).waitFor();
  assert.notEqual(await verdictHere(page), '✕ Failing');

  for (const where of ['section.source-health', 'section.overview']) {
    if (where === 'section.overview') await go(page, 'Overview');
    const axe = await new AxeBuilder({ page }).include(where).analyze();
    const serious = axe.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], where);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bad threshold is refused next to its field, keeps what was typed, and changes nothing', async () => {
  await resetSimulator();
  const { context, page } = await openApp(browser);
  await tryDemo(page);
  await openSource(page, NF_ADDON);
  const form = panel(page).getByRole('form', { name: `Expected interval for ${NF_ADDON}` });
  const field = form.getByLabel('Expect a backup every');
  const before = await panel(page).locator('dd.expected').textContent();
  for (const [typed, message] of [['1.5', 'is not a whole number'], ['0', 'greater than 0'], ['', 'Enter how often'], ['99999', 'more than ten years']]) {
    await field.fill(typed);
    await form.getByLabel('Unit').selectOption('days');
    await form.getByRole('button', { name: 'Save threshold' }).click();
    const error = form.locator('.field-error', { hasText: message });
    await error.waitFor();
    assert.ok((await error.textContent()).includes('⚠'), 'an icon besides the color');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await field.getAttribute('aria-describedby'), await error.getAttribute('id'));
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'threshold', 'focus on the field');
    assert.equal(await field.inputValue(), typed, 'what was typed stays');
    assert.equal(await panel(page).locator('dd.expected').textContent(), before, 'nothing changed');
  }
  assert.equal(await page.evaluate(() => localStorage.getItem('backboard.thresholds')), null, 'nothing stored');
  await context.close();
});

/// A minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF rows.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('export CSV and JSON hold exactly the rows the list shows, in its order', async () => {
  await resetSimulator();
  const { context, page, errors } = await openApp(browser);
  await tryDemo(page);
  await go(page, 'Backups');
  await page.getByLabel('Filter by provider').selectOption('northflank');
  await page.getByLabel('Filter by status').selectOption('completed');
  await page.getByRole('button', { name: /^Name/ }).click();
  await page.waitForURL(/sort=name/);
  const shown = Number(await page.locator('table.backup-table').getAttribute('aria-rowcount')) - 1;
  assert.ok(shown > 1 && shown < 25, `a window's worth of rows: ${shown}`);
  const rows = page.locator('table.backup-table tbody tr[data-provider]');
  const names = await rows.locator('td.name').allTextContents();
  const statuses = await rows.locator('td:nth-child(4)').allTextContents();
  assert.equal(names.length, shown);

  const csv = await download(page, 'Export CSV');
  assert.equal(csv.name, 'backboard-backups.csv');
  const table = parseCsv(csv.text);
  assert.deepEqual(table[0], 'provider,source_kind,source_id,source_label,id,name,status,status_raw,created,completed,expires,size_bytes,contents,link'.split(','));
  const body = table.slice(1);
  assert.equal(body.length, shown, 'one line per shown row');
  const col = (n) => table[0].indexOf(n);
  // A name that starts like a formula is defused with a quote (the core's to_csv).
  const csvNames = body.map((r) => (r[col('name')] || r[col('id')]).replace(/^'(?=[=+\-@\t\r])/, ''));
  assert.deepEqual(csvNames, names, 'same rows, same order');
  assert.ok(body.every((r) => r[col('provider')] === 'northflank' && r[col('status')] === 'completed'));
  assert.ok(csv.text.endsWith('\r\n'), 'CRLF rows');
  await page.getByRole('status').filter({ hasText: `Exported ${shown} backups as CSV.` }).waitFor();

  const json = await download(page, 'Export JSON');
  assert.equal(json.name, 'backboard-backups.json');
  const list = JSON.parse(json.text);
  assert.equal(list.length, shown);
  assert.deepEqual(list.map((b) => b.name || b.id), names);
  assert.deepEqual(list.map((b) => b.status), statuses);
  assert.deepEqual(list.map((b) => b.id), body.map((r) => r[col('id')]), 'CSV and JSON agree');
  assert.ok(list.every((b) => b.provider === 'northflank' && b.details?.provider?.startsWith('northflank') && b.details.record), 'the provider record comes along');
  assert.ok(!/token/i.test(json.text) && !/token/i.test(csv.text), 'no token in an export');

  // Nothing matches: nothing to export.
  await page.getByLabel('Search backups').fill('no backup is called this');
  await page.locator('.export button:disabled', { hasText: 'Export CSV' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a running backup completes on screen by itself; nothing is read while the tab is hidden', async () => {
  // No generated ServerAvatar backups: the only running one is the one created here.
  await resetSimulator({ serveravatar: 0, operation_ms: 3000 });
  const { context, page, requests, errors } = await openApp(browser);
  await addServerAvatar(page, { label: 'Auto refresh org', token: 'sa-demo-token', organization: '5' });
  const conn = page.locator('li.connection', { hasText: 'Auto refresh org' });
  await conn.locator('.conn-status.ok').waitFor({ timeout: 30_000 });
  await openSource(page, 'Auto refresh org');
  await createServerAvatarBackup(page, 'refreshes by itself');

  const row = page.locator('table.backup-table tbody tr[data-provider="serveravatar"]').filter({ has: page.locator('td.name', { hasText: 'refreshes by itself' }) });
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.locator('td:nth-child(4)').textContent(), /^(running|scheduled)$/);
  // Hide the tab at once (before the first re-read, 1 s after the list arrived).
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const reads = () => requests.filter((u) => u.startsWith(WORKER + '/proxy/serveravatar/')).length;
  const before = reads();
  await page.waitForTimeout(6_000);
  assert.equal(reads(), before, 'no request while the tab is hidden');
  assert.match(await row.locator('td:nth-child(4)').textContent(), /^(running|scheduled)$/, 'still as last read');

  await page.evaluate(() => {
    delete document.hidden;
    delete document.visibilityState;
    document.dispatchEvent(new Event('visibilitychange'));
  });
  // Completed (3 s of processing are long over) without any click.
  await row.locator('td:nth-child(4)', { hasText: 'completed' }).waitFor({ timeout: 10_000 });
  assert.ok(reads() > before, 'read again once visible');
  const settled = reads();
  // All settled: polling stops.
  await page.waitForTimeout(5_000);
  assert.equal(reads(), settled, 'no more reads once nothing runs');
  await panel(page).locator('dd.counts', { hasText: '1 backup, 1 completed, 0 in progress' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
