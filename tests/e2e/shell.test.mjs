// The first paint comes from HTML: the build writes the app's first screen into index.html. It is
// styled and usable by keyboard before the wasm has arrived, and the app takes it over with the
// same DOM, in one step (never both, never neither) and without a layout shift.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launch, tryDemo, WEB, ARTIFACTS, STARTED } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// The markup both sides are compared by: without the framework's empty comments, the skip link
/// (the shell leaves it out) and the shell's busy mark.
const normalized = (html) => html
  .replace(/<!---->/g, '')
  .replace(/<a class="skip-link"[^>]*>.*?<\/a>/, '')
  .replace(' aria-busy="true"', '')
  .trim();

/// Holds every wasm request of `context` until the function it returns is called.
async function holdWasm(context) {
  let release;
  const held = new Promise((done) => { release = done; });
  await context.route(/\.wasm$/, async (route) => { await held; await route.continue(); });
  return release;
}

test('before the wasm has started, the page shows the app\'s first screen, styled and usable by keyboard', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const wasm = [];
  await context.route(/\.wasm$/, (route) => { wasm.push(route.request().url()); return route.abort('blockedbyclient'); });
  const page = await context.newPage();
  await page.goto(WEB + '/');
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.ok(wasm.length > 0, 'the page asked for its wasm');
  assert.equal(await page.locator('body[data-shell]').count(), 1, 'the app has not started');
  assert.equal(await page.locator('main').getAttribute('aria-busy'), 'true', 'screen readers hear that it is loading');
  await page.getByRole('button', { name: 'Try the demo' }).waitFor();
  await page.getByRole('link', { name: 'Add a connection' }).waitFor();
  const header = await page.locator('header.top').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.notEqual(header, 'rgba(0, 0, 0, 0)', 'the stylesheet applies to the shell');
  await page.screenshot({ path: `${ARTIFACTS}/shell-before-wasm.png` });

  // The keyboard reaches the navigation, and its links are links.
  const reached = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement?.textContent?.trim()));
  }
  assert.ok(reached.includes('Connections'), `Tab reaches the navigation: ${JSON.stringify(reached)}`);
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), []);
  await context.close();
});

test('the app takes the shell over with the same DOM, in one step and without a layout shift', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    window.__states = [];
    new MutationObserver(() => {
      const body = document.body;
      if (!body) return;
      const state = { shell: body.hasAttribute('data-shell'), mains: body.querySelectorAll('main').length };
      window.__states.push(state);
      if (!state.shell && window.__firstApp === undefined) window.__firstApp = body.innerHTML;
    }).observe(document, { childList: true, subtree: true, attributes: true });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const served = await (await fetch(WEB + '/')).text();
  const shell = served.slice(served.indexOf('<body data-shell>') + '<body data-shell>'.length, served.lastIndexOf('</body>'));
  assert.ok(shell.includes('No sources yet'), 'the built page holds the first screen');
  await page.goto(WEB + '/');
  await page.locator(STARTED).waitFor();
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const { states, firstApp, shift } = await page.evaluate(() => ({ states: window.__states, firstApp: window.__firstApp, shift: window.__shift }));
  assert.ok(states.some((s) => s.shell && s.mains === 1), 'the shell was on the page');
  assert.ok(states.every((s) => s.mains <= 1), 'never the shell and the app together');
  assert.equal(states.find((s) => !s.shell)?.mains, 1, 'never neither: the app is there when the shell goes');
  assert.equal(normalized(firstApp), normalized(shell), 'the shell is the app\'s own first screen');
  assert.equal(shift, 0, 'no layout shift');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a control reached in the shell keeps the focus when the app takes over', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The wasm waits until the visitor has moved to a control of the shell.
  const release = await holdWasm(context);
  const page = await context.newPage();
  await page.goto(WEB + '/');
  await page.getByRole('link', { name: 'Add a connection' }).focus();
  release();
  await page.locator(STARTED).waitFor();
  const focused = await page.evaluate(() => ({
    text: document.activeElement?.textContent?.trim(),
    inApp: !document.body.hasAttribute('data-shell') && document.body.contains(document.activeElement),
  }));
  assert.deepEqual(focused, { text: 'Add a connection', inApp: true });
  await context.close();
});

test('a button pressed in the shell is pressed by the app once it has started: "Try the demo" is not lost', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const release = await holdWasm(context);
  const page = await context.newPage();
  await page.goto(WEB + '/');
  const shellButton = page.locator('body[data-shell] button', { hasText: 'Try the demo' });
  await shellButton.click();
  assert.equal(await shellButton.getAttribute('aria-busy'), 'true', 'the press shows it was taken');
  release();
  await page.locator(STARTED).waitFor();
  await page.locator('tr.source-row').first().waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('html[data-pressed]').count(), 0, 'pressed once, then forgotten');
  assert.equal(await page.locator('button[aria-busy]').count(), 0);
  await context.close();
});

test('a visitor who keeps connections sees the list\'s place before the wasm, not the empty state of a first visit', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(WEB + '/');
  await page.locator(STARTED).waitFor();
  await tryDemo(page);
  await context.route(/\.wasm$/, (route) => route.abort('blockedbyclient'));
  await page.goto(WEB + '/#/');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.equal(await page.locator('body[data-shell]').count(), 1, 'the app has not started');
  assert.equal(await page.getByRole('heading', { name: 'No sources yet' }).isVisible(), false);
  const place = await page.locator('main').evaluate((m) => getComputedStyle(m, '::after').minHeight);
  assert.notEqual(place, 'auto', 'the list\'s place is drawn');
  await page.screenshot({ path: `${ARTIFACTS}/shell-kept-before-wasm.png` });
  await context.close();
});
