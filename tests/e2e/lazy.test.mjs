// Each provider's parsers and panels are a wasm-split part of their own: the page starts from the
// main wasm alone, and a provider's part loads when one of its connections is first listed, or
// beside the main module when the kept connections need it. A visitor never downloads the part
// of a provider they have no connection to. A part that cannot load says so in its place and can
// be retried; the rest of the app keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, resetSimulator, go, tryDemo, openSource, WEB, SIM, STARTED } from './helpers.mjs';

let browser;
before(async () => {
  await resetSimulator();
  browser = await launch();
});
after(async () => browser?.close());

test('a provider\'s list waits for its part, and a part that cannot load says so and can be retried while the rest works', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
  // Northflank's part and the compliance panel are unreachable at first (offline, or replaced
  // by a newer deployment).
  const blocked = /\/split-[0-9a-f]+\/split_(northflank_part|history_panel_view)\.wasm$/;
  await context.route(blocked, (route) => route.abort('internetdisconnected'));
  await page.goto(WEB + '/');
  await page.locator(STARTED).waitFor();
  assert.deepEqual(wasm.map((p) => p.replace(/[0-9a-f]{16}/, 'H')), ['/backboard-web-H_bg.wasm'],
    'a first visit starts from the main module alone');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  const config = (await (await fetch(SIM + '/_demo/config')).json()).config;
  const others = config.serveravatar + config.mittwald;
  await go(page, 'Backups');
  await page.locator('.backups .count', { hasText: `(${others})` }).waitFor({ timeout: 60_000 });

  // Northflank's connections say why they are not listed, each with its Retry.
  await go(page, 'Connections');
  const northflank = page.locator('li.connection[data-provider="northflank"]');
  assert.equal(await northflank.count(), 2);
  for (const row of await northflank.all()) {
    assert.match(await row.locator('.conn-status.error').textContent(), /Backboard's Northflank code could not be loaded/);
  }

  // A source's page: its compliance panel says it is missing, the provider's tools are there.
  await openSource(page, 'mittwald shop project');
  const missing = page.locator('.part-missing');
  await missing.waitFor();
  assert.match(await missing.textContent(), /The compliance could not be loaded/);
  await page.locator('section.mw-tools').waitFor();

  // Back online: "Try again" loads the panel in place, and Retry lists Northflank's backups.
  await context.unroute(blocked);
  await missing.getByRole('button', { name: 'Try again' }).click();
  await page.locator('section.source-history').waitFor();
  assert.equal(await missing.count(), 0);
  await go(page, 'Connections');
  for (const row of await northflank.all()) await row.getByRole('button', { name: /^Retry / }).click();
  await go(page, 'Backups');
  const total = others + config.northflank_addon + config.northflank_destination;
  await page.locator('.backups .count', { hasText: `(${total})` }).waitFor({ timeout: 60_000 });
  assert.ok(wasm.some((p) => /split_northflank_part/.test(p)), wasm.join(', '));
  assert.deepEqual(errors, []);
  await context.close();
});

/// A page that records, in order, each provider part it requests and the moment its app started.
async function recordingPage(context) {
  const page = await context.newPage();
  const events = [];
  await page.exposeBinding('__appStarted', () => events.push('started'));
  await page.addInitScript(() => addEventListener('TrunkApplicationStarted', () => window.__appStarted()));
  page.on('request', (r) => {
    const part = /\/split_([a-z]+)_part\.wasm$/.exec(new URL(r.url()).pathname);
    if (part) events.push(part[1]);
  });
  return { page, events };
}

/// The providers whose parts were requested before the app started, and after it.
const beforeAndAfterStart = (events) => {
  const at = events.indexOf('started');
  return { before: [...new Set(events.slice(0, at))].sort(), after: [...new Set(events.slice(at + 1))].sort() };
};

test('a visitor with only mittwald connections fetches mittwald\'s part beside the main module, and never another provider\'s', async () => {
  await resetSimulator();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, events } = await recordingPage(context);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(WEB + '/');
  await page.locator(STARTED).waitFor();
  await tryDemo(page);
  // Only the demo's mittwald connection is kept in the tab; the app lists its providers anew.
  await page.evaluate(() => {
    const kept = JSON.parse(sessionStorage.getItem('backboard.connections'));
    sessionStorage.setItem('backboard.connections', JSON.stringify(kept.filter((c) => c.provider === 'mittwald')));
  });
  await page.reload();
  await page.locator(STARTED).waitFor();
  await page.waitForFunction(() => sessionStorage.getItem('backboard.parts') === 'mittwald');

  events.length = 0;
  await page.reload();
  await page.locator(STARTED).waitFor();
  await go(page, 'Backups');
  await page.locator('.backups .count', { hasText: /\(\d+\)/ }).waitFor({ timeout: 60_000 });
  await page.locator('button.row-open').first().click();
  await page.locator('aside.details').getByRole('button', { name: /Delete/ }).first().waitFor();
  await page.locator('aside.details').getByRole('button', { name: 'Close the details' }).click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await openSource(page, 'mittwald shop project');
  await page.locator('section.mw-tools').waitFor();
  const { before, after } = beforeAndAfterStart(events);
  assert.deepEqual(before, ['mittwald'], `fetched beside the main module: ${events.join(' ')}`);
  assert.ok(after.every((p) => p === 'mittwald'), `no other provider's part, ever: ${events.join(' ')}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo\'s three providers: on the next load their parts are all fetched beside the main module, in parallel', async () => {
  await resetSimulator();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, events } = await recordingPage(context);
  await page.goto(WEB + '/');
  await page.locator(STARTED).waitFor();
  await tryDemo(page);
  assert.deepEqual(beforeAndAfterStart(events).before, [], 'nothing is fetched for a first visit');
  events.length = 0;
  await page.reload();
  await page.locator(STARTED).waitFor();
  assert.deepEqual(beforeAndAfterStart(events).before, ['mittwald', 'northflank', 'serveravatar'],
    `each part requested before the app started, none waiting for another: ${events.join(' ')}`);
  await context.close();
});

test('the connection form fetches a provider\'s part only when that kind, with options of its own, is chosen', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, events } = await recordingPage(context);
  await page.goto(WEB + '/');
  await page.locator(STARTED).waitFor();
  await go(page, 'Connections');
  const provider = page.getByLabel('Provider', { exact: true });
  await provider.selectOption({ label: 'Northflank addon' });
  await page.getByLabel('Addon id').waitFor();
  assert.deepEqual(events.filter((e) => e !== 'started'), [], 'no part for a kind without options of its own');
  await provider.selectOption({ label: 'mittwald project' });
  await page.locator('fieldset.mittwald-filters').getByLabel('Search term').waitFor();
  assert.deepEqual(events.filter((e) => e !== 'started'), ['mittwald']);
  await context.close();
});
