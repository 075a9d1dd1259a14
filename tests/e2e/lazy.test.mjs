// Each provider's panels and forms are a wasm-split part of their own: the page starts from the
// main wasm alone, and a provider's part loads when one of its backups or sources first opens, or
// beside the main module when the kept connections need it. A visitor never downloads the part
// of a provider they have no connection to. A part that cannot load says so in its place and can
// be retried; the rest of the app keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, resetSimulator, go, tryDemo, openSource, WEB, STARTED } from './helpers.mjs';

let browser;
before(async () => {
  await resetSimulator();
  browser = await launch();
});
after(async () => browser?.close());

test('the page starts from the main module; a provider\'s part loads on first use, and a part that cannot load can be retried', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
  // The providers' parts are unreachable at first (offline, or replaced by a newer deployment).
  const blocked = /\/split-[0-9a-f]+\/split_[a-z]+_part\.wasm$/;
  await context.route(blocked, (route) => route.abort('internetdisconnected'));
  await page.goto(WEB + '/');
  await page.locator(STARTED).waitFor();
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.locator('tr.source-row').first().waitFor({ timeout: 60_000 });
  await go(page, 'Backups');
  await page.locator('.backups .count', { hasText: /\(\d+\)/ }).waitFor({ timeout: 60_000 });
  assert.deepEqual(wasm.filter((p) => !p.startsWith('/demo/')).map((p) => p.replace(/[0-9a-f]{16}/, 'H')),
    ['/backboard-web-H_bg.wasm'], 'nothing but the main module before a backup is opened');

  const details = page.locator('aside.details');
  await page.locator('button.row-open').first().click();
  const missing = details.locator('.part-missing');
  await missing.waitFor();
  assert.match(await missing.textContent(), /The actions for this backup could not be loaded/);
  // The rest of the panel is there: the summary, and the provider's fields one click away.
  assert.ok(await details.locator('dl.summary dt').count() >= 6);
  await details.locator('details.raw-fields summary').click();
  assert.ok(await details.locator('dl.fields dt').count() > 3);

  // Back online: "Try again" loads the part in place.
  await context.unroute(blocked);
  await missing.getByRole('button', { name: 'Try again' }).click();
  await details.getByRole('button', { name: /Delete/ }).first().waitFor();
  assert.equal(await missing.count(), 0);
  assert.ok(wasm.some((p) => blocked.test(p)), wasm.join(', '));
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
