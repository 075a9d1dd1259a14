// The SPA in workspace mode against a worker of its own (wrangler dev --local, D1), with
// Cloudflare Access emulated (tests/e2e/access.mjs): an admin adds connections and members and
// makes an API key; a viewer sees the list and its health but no create or delete controls
// (and those routes answer 403); an operator creates a backup; the audit log shows who did
// what. No provider token appears in any answer the page gets or in its storage. Screenshots
// under target/e2e/workspace/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { launch, go, openSource, resetSimulator, addServerAvatar, WEB, ARTIFACTS } from './helpers.mjs';
import { OwnWorker } from './own-worker.mjs';
import { Access } from './access.mjs';

const SHOTS = `${ARTIFACTS}/workspace`;
const PERSIST = resolve(ARTIFACTS, 'workspace-spa-state');
const own = new OwnWorker('workspace-spa', PERSIST);
const access = new Access();
const ADMIN = 'ada@example.com';
const OPERATOR = 'otto@example.com';
const VIEWER = 'vera@example.com';
const PROJECT = '3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10';
const TOKENS = ['sa-demo-token', 'mw-demo-token'];
const WS = '/api/v1/workspace';

let browser;
before(async () => {
  await resetSimulator();
  mkdirSync(SHOTS, { recursive: true });
  rmSync(PERSIST, { recursive: true, force: true });
  await access.start();
  own.migrate();
  await own.start({
    ...access.vars(),
    BACKBOARD_ADMINS: ADMIN,
    BACKBOARD_SEAL_KEYS: 'k1:' + randomBytes(32).toString('base64'),
    ALLOWED_ORIGINS: new URL(WEB).origin,
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await own.stop();
  access.stop();
});

/// Every answer the pages got from the worker, to be searched for the tokens.
const answers = [];

/// A page signed in as `email`, in workspace mode on the test's worker. The page's own
/// security policy names the stack's worker, not this one, so the test lifts it.
async function signedIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await context.addInitScript((origin) => localStorage.setItem('backboard.workspace', origin), own.base);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', async (r) => {
    if (!r.url().startsWith(own.base)) return;
    const headers = JSON.stringify(await r.allHeaders());
    let body = '';
    try { body = await r.text(); } catch { /* no body */ }
    answers.push(`${r.url()}\n${headers}\n${body}`);
  });
  await access.signIn(page, own.base, email);
  await page.goto(WEB + '/');
  await page.locator('h1#page-title').waitFor();
  await page.locator('.identity-email', { hasText: email }).waitFor({ timeout: 30_000 });
  return { context, page, errors };
}

async function storageHolds(page) {
  const all = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
  return TOKENS.filter((t) => all.includes(t));
}

const row = (page, label) => page.locator('ul.connection-list li.connection', { hasText: label });

/// Waits for a connection's list to load; if it does not, says what the row shows.
async function loaded(page, label) {
  try {
    await row(page, label).locator('.conn-status.ok').waitFor({ timeout: 30_000 });
  } catch (e) {
    throw new Error(`${label}: ${await row(page, label).textContent().catch(() => 'not listed')} (${e.message})`);
  }
}

/// A call to the worker as `email`, outside the page.
const call = (email, method, path, body) => fetch(own.base + WS + path, {
  method,
  headers: { 'Cf-Access-Jwt-Assertion': access.jwt(email), ...(body ? { 'Content-Type': 'application/json' } : {}) },
  body: body ? JSON.stringify(body) : undefined,
});

const plus = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);

test('an admin adds connections, members and an API key', async () => {
  const { context, page, errors } = await signedIn(ADMIN);
  assert.equal(await page.locator('.identity-role').textContent(), 'admin');
  await addServerAvatar(page, { label: 'Team SA', token: TOKENS[0], organization: '5' });
  await loaded(page, 'Team SA');
  const form = page.locator('form.add-connection');
  await form.locator('select[name="provider"]').selectOption('mittwald');
  await form.getByLabel('Label').fill('Team MW');
  await form.getByLabel('API token').fill(TOKENS[1]);
  await form.getByLabel('Project id (uuid)').fill(PROJECT);
  await form.getByRole('button', { name: 'Add connection' }).click();
  // Loaded through the workspace's proxy: the worker added the token.
  await loaded(page, 'Team MW');
  assert.equal(await form.getByLabel('API token').inputValue(), '', 'the token field is cleared once the workspace took it');

  await go(page, 'Workspace');
  const members = page.getByRole('form', { name: 'Add a member' });
  for (const [email, role] of [[OPERATOR, 'operator'], [VIEWER, 'viewer']]) {
    await members.getByLabel('Email').fill(email);
    await members.getByLabel('Role').selectOption(role);
    await members.getByRole('button', { name: 'Add member' }).click();
    await page.locator('.ws-members td', { hasText: email }).waitFor();
  }
  await page.locator('.deployment-admins', { hasText: ADMIN }).waitFor();

  const keys = page.getByRole('form', { name: 'Create an API key' });
  await keys.getByLabel('Label').fill('ci script');
  await keys.getByLabel('Role').selectOption('viewer');
  await keys.getByRole('button', { name: 'Create key' }).click();
  const shown = page.locator('.new-key-value');
  await shown.waitFor();
  const key = await shown.textContent();
  assert.match(key, /^bbk_/);
  assert.equal((await fetch(own.base + WS + '/me', { headers: { Authorization: `Bearer ${key}` } })).status, 200);
  await page.getByRole('button', { name: 'Copy the key' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/admin-workspace.png`, fullPage: true });
  await page.getByRole('button', { name: 'Done' }).click();
  assert.equal(await page.locator('.new-key-value').count(), 0, 'the key is not shown again');
  await page.getByRole('button', { name: 'Revoke ci script' }).click();
  await page.getByRole('button', { name: 'Revoke ci script' }).waitFor({ state: 'detached' });
  assert.equal((await fetch(own.base + WS + '/me', { headers: { Authorization: `Bearer ${key}` } })).status, 401);

  assert.deepEqual(await storageHolds(page), [], 'no token in the page storage');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a viewer sees the list and its health, and no create or delete controls', async () => {
  const { context, page, errors } = await signedIn(VIEWER);
  assert.equal(await page.locator('.identity-role').textContent(), 'viewer');
  await go(page, 'Connections');
  await loaded(page, 'Team MW');
  await row(page, 'Team SA').waitFor();
  assert.equal(await page.locator('form.add-connection').count(), 0, 'no connection form');
  assert.equal(await page.getByRole('button', { name: /^(Edit|Remove) / }).count(), 0, 'no edit or remove buttons');
  assert.equal(await page.getByRole('link', { name: 'Workspace', exact: true }).count(), 0, 'no Workspace page');
  await go(page, 'Overview');
  await page.locator('table.overview-table a.source-link', { hasText: 'Team MW' }).waitFor({ timeout: 30_000 });
  await openSource(page, 'Team MW');
  await page.locator('section.source-health:not(.verdict-checking)').waitFor({ timeout: 60_000 });
  await page.locator('section.mw-tools').waitFor();
  assert.equal(await page.locator('form.mw-create').count(), 0, 'no create form');
  await page.screenshot({ path: `${SHOTS}/viewer-source.png`, fullPage: true });
  // The routes answer 403 all the same.
  const id = (await (await call(VIEWER, 'GET', '/connections')).json()).connections.find((c) => c.label === 'Team MW').id;
  assert.equal((await call(VIEWER, 'POST', '/connections', { provider: 'serveravatar', label: 'x', token: 't', organization: '5' })).status, 403);
  assert.equal((await call(VIEWER, 'DELETE', `/connections/${id}`)).status, 403);
  assert.equal((await call(VIEWER, 'POST', `/connections/${id}/proxy/v2/projects/${PROJECT}/backups`, { description: 'x' })).status, 403);
  assert.deepEqual(await storageHolds(page), [], 'no token in the page storage');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an operator creates a backup, and the audit log says who did what', async () => {
  const op = await signedIn(OPERATOR);
  await openSource(op.page, 'Team MW');
  const form = op.page.locator('form.mw-create');
  await form.getByLabel('Description', { exact: true }).fill('made by the operator');
  await form.getByLabel('Keep until (UTC)').fill(plus(20));
  await form.getByRole('button', { name: 'Create backup' }).click();
  await form.getByRole('status').filter({ hasText: 'mittwald created the backup “made by the operator”' }).waitFor({ timeout: 30_000 });
  assert.equal(await op.page.getByRole('button', { name: /^Delete/ }).count(), 0, 'no delete for an operator');
  assert.deepEqual(await storageHolds(op.page), []);
  assert.deepEqual(op.errors, []);
  await op.context.close();

  const admin = await signedIn(ADMIN);
  await go(admin.page, 'Workspace');
  const audit = admin.page.locator('table.audit-table tbody');
  await audit.locator('tr', { hasText: OPERATOR }).first().waitFor({ timeout: 30_000 });
  const text = await audit.textContent();
  assert.match(text, /otto@example\.com\s*operator\s*mittwald\.create_backup.*ok/, 'the operator created a backup');
  assert.match(text, /vera@example\.com\s*viewer\s*workspace\.remove_connection.*denied/, 'the viewer was refused');
  assert.match(text, /ada@example\.com\s*admin\s*workspace\.add_connection/, 'the admin added connections');
  const download = admin.page.waitForEvent('download');
  await admin.page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await (await download).path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p, 'utf8')));
  assert.ok(csv.includes(OPERATOR) && csv.includes(ADMIN), csv.slice(0, 300));
  await admin.page.screenshot({ path: `${SHOTS}/audit.png`, fullPage: true });
  assert.deepEqual(admin.errors, []);
  await admin.context.close();

  const leaks = answers.filter((a) => TOKENS.some((t) => a.includes(t)));
  assert.deepEqual(leaks, [], 'no answer carries a provider token');
  assert.ok(answers.length > 10, `answers searched: ${answers.length}`);
});
