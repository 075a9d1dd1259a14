// The unified list: every provider in one table, sort/filter/search kept in the URL
// across a reload, a failing connection beside working ones, details, hostile names as text,
// axe-core, and the list at 10,000 backups.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { launch, openApp, resetSimulator, addServerAvatar, go, openSource, tryDemo, WEB, SIM, ARTIFACTS, STARTED } from './helpers.mjs';

let browser;
before(async () => {
  await resetSimulator();
  browser = await launch();
});
after(async () => browser?.close());

const table = (page) => page.locator('table.backup-table');
const rowCount = async (page) => Number(await table(page).getAttribute('aria-rowcount')) - 1;
const visibleRows = (page) => table(page).locator('tbody tr[data-provider]');

test('the demo fills one list from all providers; sort, filter and search live in the URL', async () => {
  const { context, page, errors } = await openApp(browser);
  const { config, total } = await tryDemo(page);
  await go(page, 'Connections');
  for (const [label, n] of [['ServerAvatar', config.serveravatar], ['Northflank postgres', config.northflank_addon],
    ['Northflank offsite', config.northflank_destination], ['mittwald', config.mittwald]]) {
    const status = page.locator('li.connection', { hasText: label }).locator('.conn-status');
    assert.equal(await status.textContent(), `${n} backups`, label);
  }
  await go(page, 'Backups');
  assert.equal(await rowCount(page), total);
  await page.screenshot({ path: `${ARTIFACTS}/list-all.png` });

  // Default order: newest first.
  const created = async () => visibleRows(page).locator('td:nth-child(7) time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
  const desc = await created();
  assert.deepEqual(desc, [...desc].sort().reverse());
  // Sort by created ascending, by clicking the header twice... once flips it.
  await page.getByRole('button', { name: /^Created/ }).click();
  await page.waitForURL(/dir=asc/);
  const asc = await created();
  assert.deepEqual(asc, [...asc].sort());
  assert.equal(await page.locator('th.col-created').getAttribute('aria-sort'), 'ascending');

  // Filters and search.
  await page.getByLabel('Filter by provider').selectOption('mittwald');
  await page.locator('.backups .count', { hasText: `(${config.mittwald} of ${total})` }).waitFor();
  assert.ok((await visibleRows(page).evaluateAll((r) => r.map((e) => e.dataset.provider))).every((p) => p === 'mittwald'));
  await page.getByLabel('Filter by status').selectOption('completed');
  const completedMittwald = await rowCount(page);
  assert.ok(completedMittwald > 0 && completedMittwald < config.mittwald);
  const firstName = await visibleRows(page).first().locator('td.name').textContent();
  await page.getByLabel('Search backups').fill(firstName.slice(0, 12));
  await page.waitForURL(/q=/);
  const searched = await rowCount(page);
  assert.ok(searched >= 1 && searched <= completedMittwald);
  const url = page.url();
  assert.match(url, /provider=mittwald/);
  assert.match(url, /status=completed/);
  assert.match(url, /sort=created|dir=asc/);
  assert.ok(!/token|demo-token/.test(url), 'no token in the URL');
  await page.screenshot({ path: `${ARTIFACTS}/list-filtered.png` });

  // Reload: the same view comes back (connections are kept for the tab).
  await page.reload();
  await page.locator('.backups .count', { hasText: `(${searched} of ${total})` }).waitFor({ timeout: 60_000 });
  assert.equal(await page.getByLabel('Filter by provider').inputValue(), 'mittwald');
  assert.equal(await page.getByLabel('Filter by status').inputValue(), 'completed');
  assert.equal(await page.getByLabel('Search backups').inputValue(), firstName.slice(0, 12));
  assert.equal(await page.locator('th.col-created').getAttribute('aria-sort'), 'ascending');

  // A bookmarked view opens the same way in a new tab (after the connections are added there).
  const other = await openAppAt(browser, url);
  await other.page.getByRole('heading', { level: 1, name: 'Backups' }).waitFor();
  await go(other.page, 'Connections');
  await other.page.getByRole('button', { name: 'Try the demo' }).first().click();
  await other.page.goBack();
  await other.page.locator('.backups .count', { hasText: `(${searched} of ` }).waitFor({ timeout: 60_000 });
  assert.equal(await other.page.getByLabel('Filter by status').inputValue(), 'completed', 'back restores the view');
  await other.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});

async function openAppAt(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator(STARTED).waitFor();
  return { context, page };
}

test('a failing connection shows its provider message while the others list their backups', async () => {
  const { context, page, errors } = await openApp(browser);
  const { config } = await tryDemo(page);
  await addServerAvatar(page, { label: 'Broken org', token: 'sa-demo-token', organization: '99' });
  await page.screenshot({ path: `${ARTIFACTS}/list-failing-added.png` });
  assert.deepEqual(errors, []);
  await go(page, 'Connections');
  const status = page.locator('li.connection', { hasText: 'Broken org' }).locator('.conn-status.error');
  await status.waitFor({ timeout: 30_000 });
  assert.equal(await status.textContent(), 'ServerAvatar answered 500: Something went really wrong!');
  assert.equal(await page.locator('li.connection', { hasText: 'mittwald' }).locator('.conn-status').textContent(), `${config.mittwald} backups`);
  await page.screenshot({ path: `${ARTIFACTS}/list-failing-connection.png` });
  await context.close();
});

test('details are one click away; hostile names stay text; axe-core finds nothing serious', async () => {
  const { context, page } = await openApp(browser);
  await tryDemo(page);
  await page.getByLabel('Filter by provider').selectOption('mittwald');
  await visibleRows(page).first().locator('td.name button').click();
  const details = page.locator('aside.details');
  await details.waitFor();
  assert.match(await details.textContent(), /project id/i);
  assert.match(await details.textContent(), /deletable/);
  await page.screenshot({ path: `${ARTIFACTS}/list-details.png` });
  await details.getByRole('button', { name: 'Close the details' }).click();
  await details.waitFor({ state: 'detached' });

  await page.getByLabel('Filter by provider').selectOption('');
  await page.getByLabel('Search backups').fill('<img');
  const hostile = visibleRows(page).locator('td.name');
  assert.ok(await hostile.count() >= 1, 'the simulator serves an <img onerror> name');
  assert.match(await hostile.first().textContent(), /<img/);
  assert.equal(await page.locator('td.name img, td.name script').count(), 0);
  await page.getByLabel('Search backups').fill('');

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), []);
  await context.close();
});

/// Types into the search box with real key presses and measures, per keystroke, the time
/// from the key event to (a) the DOM updated and laid out (all of Leptos' work done: a
/// timeout after the event runs after its microtasks; reading offsetHeight forces layout) and
/// (b) the next animation frame (includes waiting for vsync, so up to one frame more).
const ROUNDS = 4;

async function keystrokeTimings(page) {
  await page.evaluate(() => {
    window.__marks = [];
    document.querySelector('input[name="q"]').addEventListener('input', (ev) => {
      const t0 = ev.timeStamp;
      setTimeout(() => {
        void document.body.offsetHeight;
        const work = performance.now() - t0;
        requestAnimationFrame(() => window.__marks.push({ work, frame: performance.now() - t0 }));
      }, 0);
    }, { capture: true });
  });
  const search = page.locator('input[name="q"]');
  await search.click();
  // Four rounds of ten keys: a median of 40 is steadier against where each key lands in its frame.
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of ['s', 'h', 'o', 'p', 'Backspace', 'Backspace', 'Backspace', 'Backspace', 'e', 'Backspace']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(120);
    }
  }
  const marks = await page.evaluate(() => window.__marks);
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)], p90: s[Math.floor(s.length * 0.9)], max: s.at(-1) };
  };
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
  return { keystrokes: marks.length, to_layout_ms: stats(marks.map((m) => m.work)), to_next_frame_ms: stats(marks.map((m) => m.frame)), js_heap_bytes: heap };
}

async function atScale(count) {
  const original = (await (await fetch(SIM + '/_demo/config')).json()).config;
  await resetSimulator({ serveravatar: 0, northflank_addon: 0, northflank_destination: 0, mittwald: count });
  try {
    const { context, page } = await openApp(browser);
    await page.getByRole('button', { name: 'Try the demo' }).click();
    await go(page, 'Backups');
    await page.locator('.backups .count', { hasText: `(${count})` }).waitFor({ timeout: 120_000 });
    assert.ok(await visibleRows(page).count() < 100, 'only a window of rows is in the DOM');
    const timings = await keystrokeTimings(page);
    if (count > 1000) {
      // Thousands of stuck backups are a few lines and a button on the source's page, not thousands.
      await openSource(page, 'mittwald shop project');
      const card = page.locator('section.source-health:not(.verdict-checking)');
      await card.waitFor({ timeout: 60_000 });
      await page.screenshot({ path: `${ARTIFACTS}/list-${count}-source.png` });
      const reasons = card.locator('ul.reasons li');
      const more = card.getByRole('button', { name: /^Show \d+ more reasons$/ });
      const shown = await reasons.count();
      assert.ok(shown <= 30, `${shown} reasons listed at first`);
      const hidden = Number((await more.textContent()).match(/\d+/)[0]);
      assert.ok(hidden > 100, `${hidden} left out`);
      await more.click();
      await card.getByRole('button', { name: 'Show fewer reasons' }).waitFor();
      assert.equal(await reasons.count(), shown + hidden);
      await card.getByRole('button', { name: 'Show fewer reasons' }).click();
      await more.waitFor();
      assert.equal(await reasons.count(), shown);
      await go(page, 'Backups');
    }
    if (count > 1000) {
      // Scrolling far down renders the rows there.
      await page.locator('.table-scroll').evaluate((el) => { el.scrollTop = 200_000; });
      await page.waitForFunction(() => Number(document.querySelector('tbody tr[data-provider]')?.getAttribute('aria-rowindex')) > 4000);
      await page.screenshot({ path: `${ARTIFACTS}/list-${count}.png` });
    }
    await context.close();
    return { backups: count, ...timings };
  } finally {
    await resetSimulator(original);
  }
}

test('10,000 backups stay responsive: keystroke to paint, beside the same with 100', async () => {
  const small = await atScale(100);
  const large = await atScale(10_000);
  const result = { small, large, ratio_median_to_layout: large.to_layout_ms.median / small.to_layout_ms.median };
  writeFileSync(`${ARTIFACTS}/scale.json`, JSON.stringify(result, null, 2));
  console.log('scale:', JSON.stringify(result));
  assert.equal(small.keystrokes, 10 * ROUNDS);
  assert.equal(large.keystrokes, 10 * ROUNDS);
});

test('connections can be edited, mittwald\'s own filters apply, and the proxy stays within the page\'s policy', async () => {
  const { context, page, errors } = await openApp(browser);
  const { config } = await tryDemo(page);
  const project = '3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10';
  const direct = await fetch(`${SIM}/mittwald/v2/projects/${project}/backups?searchTerm=Daily&limit=1000`,
    { headers: { Authorization: 'Bearer mw-demo-token' } });
  const expected = (await direct.json()).length;
  assert.ok(expected > 0 && expected < config.mittwald, `some but not all match: ${expected}`);

  await go(page, 'Connections');
  await page.getByRole('button', { name: 'Edit mittwald shop project' }).click();
  const form = page.locator('form.add-connection');
  assert.equal(await form.getByLabel('Label').inputValue(), 'mittwald shop project');
  assert.equal(await form.getByLabel('API token').inputValue(), '', 'the token is never shown again');
  await form.getByLabel('Label').fill('mittwald daily only');
  await form.getByLabel('Search term').fill('Daily');
  await form.getByRole('button', { name: 'Save connection' }).click();
  const status = page.locator('li.connection', { hasText: 'mittwald daily only' }).locator('.conn-status.ok');
  await status.filter({ hasText: `${expected} backups` }).waitFor({ timeout: 30_000 });
  // The token was kept (an empty field keeps it) and the filter reached mittwald's API.
  const log = await (await fetch(SIM + '/_demo/log')).json();
  assert.ok(log.some((e) => e.path.startsWith('/mittwald/') && e.query.includes('searchTerm=Daily') && e.status === 200));

  // A wrong edit keeps what was typed and says why.
  await page.getByRole('button', { name: 'Edit mittwald daily only' }).click();
  await form.getByLabel('Project id (uuid)').fill('');
  await form.getByRole('button', { name: 'Save connection' }).click();
  await form.locator('.error').waitFor();
  assert.match(await form.locator('.error').textContent(), /project id is missing/);
  assert.equal(await form.getByLabel('Search term').inputValue(), 'Daily');
  await form.getByRole('button', { name: 'Cancel' }).click();

  // The proxy setting refuses an origin the page's CSP would block, and accepts its own.
  await go(page, 'Settings');
  const proxy = page.getByLabel('Proxy (worker) URL');
  await proxy.fill('https://evil.example');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  assert.match(await page.locator('.proxy-form .error').textContent(), /security policy only lets it talk to/);
  await proxy.fill(new URL(WEB).origin.replace(/:\d+$/, ':' + new URL(process.env.BACKBOARD_WORKER ?? 'http://127.0.0.1:8787').port));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('.proxy-form .ok').waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/connections-edit.png` });
  await page.getByRole('button', { name: "Use the page's default" }).click();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a connection per provider, added by hand, lists with the simulator\'s counts', async () => {
  const { context, page, errors } = await openApp(browser);
  const config = (await (await fetch(SIM + '/_demo/config')).json()).config;
  await go(page, 'Connections');
  const form = page.locator('form.add-connection');
  const add = async (kind, label, token, a, b) => {
    await form.locator('select[name="provider"]').selectOption(kind);
    await form.getByLabel('Label').fill(label);
    await form.getByLabel('API token').fill(token);
    await form.locator('input[name="id_a"]').fill(a);
    if (b) await form.getByLabel('Addon id').fill(b);
    await form.getByRole('button', { name: 'Add connection' }).click();
    assert.equal(await form.getByLabel('API token').inputValue(), '', 'the token field is cleared after adding');
  };
  await add('serveravatar', 'SA by hand', 'sa-demo-token', '5');
  await add('northflank-addon', 'NF addon by hand', 'nf-demo-token', 'demo-project', 'postgres-main');
  await add('northflank-destination', 'NF destination by hand', 'nf-demo-token', 'offsite-s3');
  await add('mittwald', 'MW by hand', 'mw-demo-token', '3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10');
  const expected = [['SA by hand', config.serveravatar], ['NF addon by hand', config.northflank_addon],
    ['NF destination by hand', config.northflank_destination], ['MW by hand', config.mittwald]];
  for (const [label, n] of expected) {
    await page.locator('li.connection', { hasText: label }).locator('.conn-status.ok', { hasText: `${n} backups` }).waitFor({ timeout: 30_000 });
  }
  const total = expected.reduce((s, [, n]) => s + n, 0);
  await go(page, 'Backups');
  await page.locator('.backups .count', { hasText: `(${total})` }).waitFor();
  for (const [provider, n] of [['serveravatar', config.serveravatar], ['northflank', config.northflank_addon + config.northflank_destination], ['mittwald', config.mittwald]]) {
    await page.getByLabel('Filter by provider').selectOption(provider);
    await page.locator('.backups .count', { hasText: `(${n} of ${total})` }).waitFor();
  }
  await go(page, 'Connections');
  // A connection missing its ids is refused with a message, and what was typed stays.
  await form.locator('select[name="provider"]').selectOption('northflank-addon');
  await form.getByLabel('Label').fill('incomplete');
  await form.getByLabel('API token').fill('nf-demo-token');
  await form.locator('input[name="id_a"]').fill('demo-project');
  await form.getByRole('button', { name: 'Add connection' }).click();
  assert.match(await form.locator('.error').textContent(), /project id and addon id is missing/);
  assert.equal(await form.getByLabel('Label').inputValue(), 'incomplete');
  assert.equal(await page.locator('li.connection', { hasText: 'incomplete' }).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('refreshing keeps the last list on screen until the new one arrives', async () => {
  const { context, page } = await openApp(browser);
  const { total } = await tryDemo(page);
  // Every provider answer now takes 1.5 s: the reload is visibly under way.
  const r = await fetch(SIM + '/_demo/faults', { method: 'POST', body: JSON.stringify({ path_prefix: '/', times: 12, fault: { kind: 'latency', ms: 1500 } }) });
  assert.equal(r.status, 200);
  await go(page, 'Connections');
  await page.getByRole('button', { name: 'Refresh all' }).click();
  await page.locator('.conn-status.loading').first().waitFor();
  await go(page, 'Backups');
  assert.equal(await page.locator('.backups .count').textContent(), `(${total})`);
  assert.equal(await rowCount(page), total);
  await page.locator('tr.skeleton').first().waitFor({ state: 'detached', timeout: 60_000 });
  assert.equal(await page.locator('.backups .count').textContent(), `(${total})`);
  await context.close();
  await resetSimulator(); // drops any latency rule left over
});
