// A backup's actions are a wasm-split part of their own: the page starts from the main wasm
// alone, and the part loads when a backup's details first open. A part that cannot load says so
// in its place and can be retried; the rest of the app keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, resetSimulator, go, WEB, STARTED } from './helpers.mjs';

let browser;
before(async () => {
  await resetSimulator();
  browser = await launch();
});
after(async () => browser?.close());

test('the page starts from the main module; a backup\'s actions load on first use, and a part that cannot load can be retried', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
  // The actions' part is unreachable at first (offline, or replaced by a newer deployment).
  const blocked = /\/split-[0-9a-f]+\/split_backup_actions_view\.wasm$/;
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
  assert.ok(wasm.some((p) => /\/split-[0-9a-f]+\/split_backup_actions_view\.wasm$/.test(p)), wasm.join(', '));
  assert.deepEqual(errors, []);
  await context.close();
});
