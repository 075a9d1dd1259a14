// The first render needs only the main wasm; the health overview, the create form, the
// provider tools and a backup's actions are wasm-split parts loaded after it. A part that
// cannot load says so in its place and can be retried; the rest of the app keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, resetSimulator, WEB } from './helpers.mjs';

let browser;
before(async () => {
  await resetSimulator();
  browser = await launch();
});
after(async () => browser?.close());

test('the list renders from the main module, the parts load after it, and a part that cannot load can be retried', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
  // The create form's part is unreachable at first (offline, or replaced by a newer deployment).
  const blocked = /\/split-[0-9a-f]+\/split_create_view\.wasm$/;
  await context.route(blocked, (route) => route.abort('internetdisconnected'));
  await page.goto(WEB + '/');
  await page.getByRole('heading', { name: 'Connections' }).waitFor();
  assert.match(wasm[0], /^\/backboard-web-[0-9a-f]+_bg\.wasm$/, 'the main module comes first');

  const missing = page.locator('.part-missing');
  await missing.waitFor();
  assert.match(await missing.textContent(), /The create form could not be loaded/);
  assert.equal(await page.locator('section.create-backup').count(), 0);
  // The rest works: the list, the health overview and the provider tools (parts of their own).
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.locator('.backups .count', { hasText: /\(\d+\)/ }).waitFor({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'Backup health' }).waitFor();
  await page.locator('section.sa-tools').waitFor();
  await page.locator('button.row-open').first().click();
  await page.locator('aside.details').getByRole('button', { name: /Delete/ }).first().waitFor();

  // Back online: "Try again" loads the part in place.
  await context.unroute(blocked);
  await missing.getByRole('button', { name: 'Try again' }).click();
  await page.locator('section.create-backup').waitFor();
  assert.equal(await missing.count(), 0);
  const parts = wasm.filter((p) => p.includes('/split-'));
  for (const name of ['split_health_view', 'split_sections_view', 'split_backup_actions_view', 'split_create_view']) {
    assert.ok(parts.some((p) => p.includes(name)), `${name} was loaded: ${parts.join(', ')}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
