// Shared set-up of the end-to-end tests: Debian's Chromium through playwright-core.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const WEB = process.env.BACKBOARD_WEB ?? 'http://127.0.0.1:8080';
export const WORKER = process.env.BACKBOARD_WORKER ?? 'http://127.0.0.1:8787';
export const SIM = process.env.BACKBOARD_SIM ?? 'http://127.0.0.1:8790';
export const ARTIFACTS = process.env.BACKBOARD_ARTIFACTS ?? '../target/e2e';
/// The app's heading once the app has started: the build's pre-rendered shell holds the same
/// heading under `<body data-shell>` until then.
export const STARTED = 'body:not([data-shell]) h1#page-title';

export async function launch() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/// A fresh page at 1280x800 on `url` that records every request it makes, page errors and CSP
/// errors (and, with `failedAnswers`, every 4xx/5xx answer), once the app has started.
async function openAt(browser, url, { failedAnswers = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  // A blocked load or connection (CSP) is an error of the page too; Chromium's own favicon
  // request is no page request, so console 404s are not counted.
  page.on('console', (m) => { if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) errors.push(m.text()); });
  if (failedAnswers) page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(url);
  await page.locator(STARTED).waitFor();
  return { context, page, requests, errors };
}

/// Moves to one of the app's pages by its link in the navigation, as a user would.
export async function go(page, name) {
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const href = await link.getAttribute('href');
  const heading = page.getByRole('heading', { level: 1, name, exact: true });
  await link.click();
  // A click that left the address as it was (seen under load) is made once more; a page that
  // then does not show its heading is an error, with what the page showed.
  if (!new URL(page.url()).hash.startsWith(href)) await link.click();
  try {
    await heading.waitFor({ timeout: 15_000 });
  } catch (e) {
    const shown = await page.locator('h1').allTextContents();
    throw new Error(`${name}: at ${page.url()} the page shows ${JSON.stringify(shown)} (${e.message})`);
  }
}

/// Opens a source's page from the overview by its label.
export async function openSource(page, label) {
  await go(page, 'Overview');
  const link = page.locator('table.overview-table a.source-link', { hasText: label }).first();
  const heading = page.getByRole('heading', { level: 1, name: label });
  await link.click();
  // A row redrawn under the pointer as its list arrives can swallow the click: once more.
  try {
    await heading.waitFor({ timeout: 10_000 });
  } catch {
    if (!new URL(page.url()).hash.startsWith('#/source/')) await link.click();
    await heading.waitFor();
  }
}

/// "Try the demo", then the page of the demo source labelled `label`, once its list is read.
export async function demoSource(page, label) {
  await page.getByRole('button', { name: 'Try the demo' }).first().click();
  await openSource(page, label);
  await page.locator('section.source-health:not(.verdict-checking)').waitFor({ timeout: 60_000 });
  await page.locator('.backups .count').waitFor();
}

/// How many backups the list on the page holds in all (its count reads "(N)" or "(shown of N)").
export async function listedTotal(page) {
  const text = await page.locator('.backups .count').textContent();
  return Number(text.match(/^\((?:\d+ of )?(\d+)\)$/)[1]);
}

/// "Try the demo" from wherever the page offers it; resolves once every demo list is read.
export async function tryDemo(page) {
  await page.getByRole('button', { name: 'Try the demo' }).first().click();
  const config = (await (await fetch(SIM + '/_demo/config')).json()).config;
  const total = config.serveravatar + config.northflank_addon + config.northflank_destination + config.mittwald;
  await go(page, 'Backups');
  await page.locator('.backups .count', { hasText: `(${total})` }).waitFor({ timeout: 60_000 });
  return { config, total };
}

/// The app served by the test stack.
export async function openApp(browser) {
  return openAt(browser, WEB + '/');
}

export async function resetSimulator(config) {
  // Every test file starts from the simulator's defaults plus its own knobs.
  const r = await fetch(SIM + '/_demo/reset?defaults', { method: 'POST', body: config ? JSON.stringify(config) : '' });
  if (!r.ok) throw new Error('simulator reset failed: ' + r.status);
}

export async function addServerAvatar(page, { label, token, organization }) {
  if (await page.locator('form.add-connection').count() === 0) await go(page, 'Connections');
  const form = page.locator('form.add-connection');
  await form.locator('select[name="provider"]').selectOption('serveravatar');
  await form.getByLabel('Label').fill(label);
  await form.getByLabel('API token').fill(token);
  await form.getByLabel('Organization id').fill(organization);
  await form.getByRole('button', { name: 'Add connection' }).click();
}

/// The simulator's request log: [{method, path, query, body, status, headers}], oldest first.
export async function simLog() {
  const r = await fetch(SIM + '/_demo/log');
  if (!r.ok) throw new Error('simulator log failed: ' + r.status);
  return r.json();
}

/// Adds a fault rule to the simulator (see crates/sim FaultRule).
export async function addFault(rule) {
  const r = await fetch(SIM + '/_demo/faults', { method: 'POST', body: JSON.stringify(rule) });
  if (!r.ok) throw new Error('simulator fault failed: ' + r.status);
}

/// The table row of a backup by its name: searched for when the list has a search box (its
/// rows may be virtualized), else found by text.
export async function findBackupRow(page, name, { provider = 'serveravatar', timeout = 30_000 } = {}) {
  if (await page.locator('table.backup-table').count() === 0) await go(page, 'Backups');
  const search = page.locator('input[type="search"]');
  if (await search.count() > 0) await search.first().fill(name);
  const row = page.locator(`table.backup-table tbody tr[data-provider="${provider}"]`)
    .filter({ has: page.locator('td.name', { hasText: name }) }).first();
  await row.waitFor({ timeout });
  return row;
}

/// Serves a directory under `prefix` on a free loopback port, like any plain static host
/// (no rewrites, no headers beyond Content-Type). Returns { origin, close }.
export async function serveStatic(dir, prefix) {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { join, normalize } = await import('node:path');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = createServer(async (req, res) => {
    if (!req.url.startsWith(prefix)) { res.writeHead(404).end(); return; }
    const rel = normalize(decodeURIComponent(req.url.slice(prefix.length).split('?')[0]) || 'index.html');
    if (rel.startsWith('..')) { res.writeHead(400).end(); return; }
    try {
      const body = await readFile(join(dir, rel));
      res.writeHead(200, { 'Content-Type': types[rel.slice(rel.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/// A fresh page on a directory served as a plain static site under `prefix` (no simulator, no
/// worker). Records every request, page errors, CSP errors and 4xx/5xx answers. `close()` ends
/// the page and the server.
export async function openStaticSite(browser, dir, prefix) {
  const site = await serveStatic(dir, prefix);
  const opened = await openAt(browser, site.origin + prefix, { failedAnswers: true });
  const close = async () => { await opened.context.close(); site.close(); };
  return { ...opened, origin: site.origin, close };
}
