// The end-to-end slice: SPA in Chromium -> worker under workerd -> simulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, resetSimulator, addServerAvatar, go, WORKER, SIM, WEB, ARTIFACTS, serveStatic, STARTED } from './helpers.mjs';

let browser;
before(async () => {
  await resetSimulator();
  browser = await launch();
});
after(async () => browser?.close());

test('ServerAvatar backups of the demo organization arrive through the worker', async () => {
  const { context, page, requests, errors } = await openApp(browser);
  await addServerAvatar(page, { label: 'SA e2e', token: 'sa-demo-token', organization: '5' });
  await page.locator('li.connection .conn-status.ok', { hasText: '37 backups' }).waitFor({ timeout: 30_000 });
  await go(page, 'Backups');
  // The table renders a window of rows; it announces the full count (rows + header).
  assert.equal(await page.locator('table.backup-table').getAttribute('aria-rowcount'), '38');
  assert.ok(await page.locator('table.backup-table tbody tr[data-provider="serveravatar"]').count() >= 10);

  // The rows are the simulator's: compare against its own answer (read directly, server side).
  const direct = await fetch(SIM + '/serveravatar/organizations/5/backups?page=1', { headers: { Authorization: 'sa-demo-token' } });
  assert.equal(direct.headers.get('access-control-allow-origin'), null, 'the simulated API sends no CORS headers');
  const first = (await direct.json()).data[0];
  const expectedName = first.backup_configuration?.name ?? [first.application?.name, first.database?.name].filter(Boolean).join(' + ');
  await page.getByLabel('Search backups').fill(expectedName);
  await page.locator('td.name', { hasText: expectedName }).first().waitFor();

  // Every provider call went through the worker's proxy, never straight to the simulator.
  const providerCalls = requests.filter((u) => u.includes('/organizations/'));
  assert.ok(providerCalls.length >= 4, 'four pages of ten');
  for (const u of providerCalls) assert.ok(u.startsWith(WORKER + '/proxy/serveravatar/organizations/5/backups'), u);

  // Hostile names from the simulator are shown as text, not markup.
  await page.getByLabel('Search backups').fill("<script>alert('xss')</script>");
  const scriptCell = page.locator('td.name', { hasText: "<script>alert('xss')</script>" });
  assert.ok(await scriptCell.count() >= 1, 'the script payload is visible literally');
  assert.equal(await page.locator('td.name script, td.name img').count(), 0);

  await page.getByLabel('Search backups').fill('');
  await page.screenshot({ path: `${ARTIFACTS}/slice-list.png`, fullPage: false });

  // The page carries a CSP that allows connections to the worker and the simulator only,
  // its inline scripts (the parts' preload, the loader) each by hash, and no inline anything
  // else; nothing was blocked (errors is empty).
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const connect = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src'));
  assert.equal(connect, `connect-src 'self' ${new URL(WORKER).origin} ${new URL(SIM).origin}`);
  const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].length);
  const hashes = /script-src 'self'((?: 'sha256-[^']+')+) 'wasm-unsafe-eval'/.exec(csp);
  assert.ok(hashes, csp);
  assert.equal(hashes[1].trim().split(' ').length, inline, 'one hash for each inline script');
  assert.ok(!csp.includes('unsafe-inline'), csp);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bad token shows the provider\'s own message next to the connection', async () => {
  const { context, page } = await openApp(browser);
  await addServerAvatar(page, { label: 'SA wrong token', token: 'not-the-token', organization: '5' });
  const status = page.locator('li.connection', { hasText: 'SA wrong token' }).locator('.conn-status.error');
  await status.waitFor({ timeout: 30_000 });
  assert.equal(await status.textContent(), 'ServerAvatar answered 401: Unauthenticated.');
  await addServerAvatar(page, { label: 'SA unknown org', token: 'sa-demo-token', organization: '7' });
  const missing = page.locator('li.connection', { hasText: 'SA unknown org' }).locator('.conn-status.error');
  await missing.waitFor({ timeout: 30_000 });
  assert.equal(await missing.textContent(), 'ServerAvatar answered 404: Organization not found!');
  // The token never shows up on the page.
  assert.ok(!(await page.content()).includes('not-the-token'));
  await page.screenshot({ path: `${ARTIFACTS}/slice-errors.png` });
  await context.close();
});

test('the worker relays for the page\'s origin only, and refuses unknown upstream paths', async () => {
  const list = (headers) => fetch(WORKER + '/proxy/serveravatar/organizations/5/backups', {
    headers: { Authorization: 'sa-demo-token', ...headers },
  });
  const page = new URL(WEB).origin;
  const relayed = await list({ Origin: page });
  assert.equal(relayed.status, 200);
  assert.equal(relayed.headers.get('access-control-allow-origin'), page);
  assert.ok((await relayed.json()).data.length > 0);
  // A foreign page and a script (no Origin) get the proxy's own 403, with no CORS grant.
  for (const headers of [{ Origin: 'http://evil.example' }, {}]) {
    const refused = await list(headers);
    assert.equal(refused.status, 403, JSON.stringify(headers));
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    assert.equal((await refused.json()).proxyError.code, 'origin_not_allowed');
  }
  const traversal = await fetch(WORKER + '/proxy/serveravatar/organizations/5%2F..%2F..%2Fusers/backups', {
    headers: { Origin: page },
  });
  assert.equal(traversal.status, 400);
  assert.equal((await traversal.json()).proxyError.code, 'bad_path');
});

test('dist/ works from a sub-path of another static host', async () => {
  const dist = new URL('../../dist/', import.meta.url).pathname;
  const server = await serveStatic(dist, '/nested/app/');
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    const failed = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${server.origin}/nested/app/`);
    await page.locator(STARTED).waitFor();
    await page.getByRole('heading', { name: 'No sources yet' }).waitFor();
    // Every page of the app opens there, by its link.
    for (const name of ['Backups', 'Connections', 'Settings', 'Overview']) await go(page, name);
    await go(page, 'Backups');
    await page.getByText('No backups to show yet.').waitFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(failed, []);
    await context.close();
  } finally {
    server.close();
  }
});
