// Compliance in the SPA without the worker's history (no edge API key): a source's 90-day strip
// and its figures judged from the backups the provider still lists, reachable and walkable by
// keyboard; and the report page for a range and a set of sources, its errors, its CSV and JSON
// (the same figures as the page), printing, and axe-core. The simulator's `history` knob gives
// the ServerAvatar source 20 daily backups, one left out, the newest three days old and a failed
// attempt since; each source is expected daily (its threshold, set through its form).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { launch, openApp, go, openSource, resetSimulator, SIM, ARTIFACTS } from './helpers.mjs';

const DAY = 86_400;
const DAY_MS = DAY * 1000;
const SHOTS = `${ARTIFACTS}/report`;
const dayText = (ms) => new Date(ms).toISOString().slice(0, 10);
const TODAY = dayText(Date.now());

let browser;
let labels;
before(async () => {
  await resetSimulator({
    latency_ms: 0, jitter_ms: 0,
    history: { serveravatar: { completed: 20, every_secs: DAY, newest_age_secs: 3 * DAY, failed: 1, missing: [5] } },
  });
  labels = Object.fromEntries((await (await fetch(SIM + '/_demo/connections')).json())
    .map((c) => [c.provider ?? Object.keys(c.account ?? {})[0], c.label]));
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await resetSimulator();
});

async function tryDemo(page) {
  await page.getByRole('button', { name: 'Try the demo' }).first().click();
  await page.waitForFunction(() => document.querySelectorAll('tr.source-row').length === 4
    && document.querySelectorAll('tr.source-row.verdict-checking').length === 0, null, { timeout: 60_000 });
}

/// The source page's threshold: one backup a day.
async function expectDaily(page, label) {
  const form = page.getByRole('form', { name: `Expected interval for ${label}` });
  await form.getByLabel('Expect a backup every').fill('1');
  await form.getByLabel('Unit').selectOption('days');
  await form.getByRole('button', { name: 'Save threshold' }).click();
  await page.locator('dd.expected', { hasText: '(your threshold)' }).waitFor();
}

const cells = (scope) => scope.locator('ol.strip [data-status]').evaluateAll((list) => list.map((c) => ({
  date: c.dataset.date, status: c.dataset.status, label: c.getAttribute('aria-label'), tabindex: c.getAttribute('tabindex'),
})));

/// met ÷ days with data, to one decimal (rounded down), as the core computes it.
function percent(list) {
  const met = list.filter((c) => c.status === 'met').length;
  const withData = list.filter((c) => c.status !== 'no data').length;
  return withData === 0 ? 'no data' : `${(Math.floor((met * 1000) / withData) / 10).toFixed(1)}%`;
}

async function axe(page, name) {
  const found = await new AxeBuilder({ page }).analyze();
  const serious = found.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], name);
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

/// RFC 4180 rows: fields quoted or not, "" inside quotes is one ".
function csvRows(text) {
  const rows = [];
  let [row, field, quoted] = [[], '', false];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); [row, field] = [[], '']; i++; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

test('a source page shows its 90-day strip and figures from the listed backups, by keyboard too', async () => {
  const { context, page, errors } = await openApp(browser);
  try {
    await tryDemo(page);
    const label = labels.serveravatar;
    await openSource(page, label);
    await expectDaily(page, label);
    const panel = page.locator('section.source-history');
    await panel.locator('p.evidence[data-from="listing"]', { hasText: 'From the backups ServerAvatar still keeps; older days: no data.' }).waitFor();
    const list = await cells(panel);
    assert.equal(list.length, 90);
    assert.equal(list.at(-1).date, TODAY);
    list.forEach((c, i) => {
      assert.equal(c.date, dayText(Date.parse(TODAY) - (89 - i) * DAY_MS), 'one cell per UTC day, oldest first');
      assert.ok(c.label.startsWith(`${c.date}: ${c.status}`), c.label);
    });
    // 20 daily backups reach back about 22 days: older days have no data, and say why.
    const judged = list.findIndex((c) => c.status !== 'no data');
    assert.ok(judged >= 60 && judged <= 70, `first judged cell ${judged}`);
    assert.ok(list.slice(0, judged).every((c) => /older than the backups the provider still lists/.test(c.label)));
    const statuses = new Set(list.map((c) => c.status));
    for (const s of ['met', 'missed', 'failed', 'no data']) assert.ok(statuses.has(s), `a ${s} day in ${[...statuses]}`);
    // The newest backup is three days old, with a failed attempt since: today failed.
    assert.equal(list.at(-1).status, 'failed');
    // The figures are the cells' met ÷ days with data.
    for (const [n, name] of [[7, 'Last 7 days'], [30, 'Last 30 days'], [90, 'Last 90 days']]) {
      const shown = await panel.locator('.figure', { hasText: name }).locator('.percent').textContent();
      assert.equal(shown, percent(list.slice(-n)), name);
    }
    await panel.locator('.size-trend-note', { hasText: 'the chart under Health' }).waitFor();

    // One cell is in the Tab order, the newest; arrows, Home and End move between cells.
    assert.deepEqual(list.filter((c) => c.tabindex === '0').map((c) => c.date), [TODAY]);
    await panel.getByRole('link', { name: 'Report for this source' }).focus();
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => document.activeElement?.dataset?.date ?? null);
    assert.equal(await focused(), TODAY);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focused(), list.at(-2).date);
    await panel.locator('.strip-said', { hasText: list.at(-2).label }).waitFor();
    await page.keyboard.press('Home');
    assert.equal(await focused(), list[0].date);
    await page.keyboard.press('End');
    assert.equal(await focused(), TODAY);
    await axe(page, 'source page');
    await page.screenshot({ path: `${SHOTS}/source.png`, fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the report: a range and sources, clear errors, the same figures in CSV and JSON, printable', async () => {
  const { context, page, errors } = await openApp(browser);
  try {
    await tryDemo(page);
    await openSource(page, labels.serveravatar);
    await expectDaily(page, labels.serveravatar);
    await go(page, 'Report');
    const form = page.locator('section.report-form form');
    await form.waitFor();
    // By default: the last 30 days and every source.
    assert.equal(await form.getByLabel('To (UTC day)').inputValue(), TODAY);
    assert.equal(await form.getByLabel('From (UTC day)').inputValue(), dayText(Date.parse(TODAY) - 29 * DAY_MS));
    assert.equal(await page.locator('article.report-source').count(), 4);

    // A bad range is refused in words, what was typed stays.
    const from = dayText(Date.parse(TODAY) - 13 * DAY_MS);
    await form.getByLabel('From (UTC day)').fill(TODAY);
    await form.getByLabel('To (UTC day)').fill(from);
    await form.getByRole('button', { name: 'Show report' }).click();
    await page.getByRole('alert').filter({ hasText: `The range cannot be shown: from (${TODAY}) is after to (${from}).` }).waitFor();
    assert.equal(await form.getByLabel('From (UTC day)').inputValue(), TODAY);
    assert.equal(await form.getByLabel('From (UTC day)').getAttribute('aria-invalid'), 'true');

    // Two sources over 14 days.
    await form.getByLabel('From (UTC day)').fill(from);
    await form.getByLabel('To (UTC day)').fill(TODAY);
    const boxes = form.locator('fieldset.report-sources input[type="checkbox"]');
    assert.equal(await boxes.count(), 4);
    await boxes.nth(1).uncheck();
    await boxes.nth(2).uncheck();
    await form.getByRole('button', { name: 'Show report' }).click();
    await page.locator('#report-error:empty').waitFor({ state: 'attached' });
    const parts = page.locator('article.report-source');
    await page.waitForFunction(() => document.querySelectorAll('article.report-source').length === 2);
    assert.match(decodeURIComponent(page.url()), new RegExp(`#/report\\?from=${from}&to=${TODAY}&sources=serveravatar:`));
    await page.getByRole('heading', { level: 2, name: `Compliance from ${from} to ${TODAY} (UTC days)` }).waitFor();

    const shown = [];
    for (let i = 0; i < 2; i++) {
      const part = parts.nth(i);
      await part.locator('p.evidence').waitFor();
      const list = await cells(part);
      assert.equal(list.length, 14);
      assert.deepEqual([list[0].date, list.at(-1).date], [from, TODAY]);
      shown.push({ key: await part.getAttribute('data-key'), list, percent: await part.locator('.percent').textContent() });
      assert.equal(shown[i].percent, percent(list));
    }
    const csv = await download(page, 'Export CSV');
    const json = await download(page, 'Export JSON');
    assert.equal(csv.name, `backboard-report-${from}-${TODAY}.csv`);
    assert.equal(json.name, `backboard-report-${from}-${TODAY}.json`);
    const report = JSON.parse(json.text);
    assert.deepEqual([report.from, report.to, report.sources.length], [from, TODAY, 2]);
    const [head, ...rows] = csvRows(csv.text);
    assert.deepEqual(head, ['source', 'date', 'status', 'restore_points', 'failures', 'longest_secs', 'allowed_secs', 'text']);
    for (const s of shown) {
      const r = report.sources.find((x) => x.key === s.key);
      assert.ok(r, s.key);
      const statusOf = (d) => (d.status === 'no_data' ? 'no data' : d.status);
      assert.deepEqual(r.days.map(statusOf), s.list.map((c) => c.status), s.key);
      assert.equal(r.summary.percent === null ? 'no data' : `${r.summary.percent.toFixed(1)}%`, s.percent);
      const mine = rows.filter((row) => row[0] === s.key);
      assert.deepEqual(mine.map((row) => [row[1], row[2], row[7]]), r.days.map((d) => [d.date, statusOf(d), d.text]));
      for (const [k, st] of [['met', 'met'], ['missed', 'missed'], ['failed', 'failed'], ['no_data', 'no data']]) {
        assert.equal(r.summary[k], mine.filter((row) => row[2] === st).length, `${s.key} ${k}`);
      }
    }
    assert.equal(rows.length, 28);

    await axe(page, 'report page');
    await page.screenshot({ path: `${SHOTS}/report.png`, fullPage: true });
    // Printed: no navigation or controls, each source from a new page.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false);
    assert.equal(await page.locator('section.report-form').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Export CSV' }).isVisible(), false);
    assert.equal(await parts.nth(1).evaluate((e) => getComputedStyle(e).breakBefore), 'page');
    await page.screenshot({ path: `${SHOTS}/report-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
