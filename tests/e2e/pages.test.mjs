// The dashboard's pages, walked by keyboard only on a phone (390×844) and a desktop
// (1440×900), light and dark: each page opens from the navigation, nothing scrolls sideways,
// axe-core finds nothing serious, touch targets on the phone are 44px, and back and forward
// restore the view. Every page is saved as a screenshot under target/e2e/pages/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { launch, resetSimulator, WEB, ARTIFACTS, STARTED } from './helpers.mjs';

const SHOTS = `${ARTIFACTS}/pages`;
let browser;
before(async () => {
  await resetSimulator();
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
});
after(async () => browser?.close());

/// Presses Tab (or Shift+Tab) until the focused element matches, at most `max` times.
async function tabTo(page, matches, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate(matches)) return;
  }
  throw new Error(`the keyboard did not reach ${matches}`);
}

const focusedIs = (selector, text) => `(() => { const a = document.activeElement; return !!a && a.matches(${JSON.stringify(selector)}) && a.textContent.trim() === ${JSON.stringify(text)}; })()`;

/// Moves to a page by its navigation link, with the keyboard (the heading has the focus after a
/// move, so the navigation is behind it).
async function navigate(page, name) {
  await tabTo(page, focusedIs('nav a', name), { back: true });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'page-title', 'the heading takes the focus');
}

async function check(page, name, size, scheme) {
  const overflow = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(overflow[0] <= overflow[1], `${name} at ${size} ${scheme}: ${overflow[0]}px wide in a ${overflow[1]}px window`);
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `${name} at ${size} ${scheme}`);
  if (size.startsWith('390')) {
    const small = await page.evaluate(() => [...document.querySelectorAll('nav a, main button, main select, main input:not([type=checkbox]):not([type=radio]), .demo-banner button')]
      .filter((e) => e.offsetParent !== null && !e.closest('thead'))
      .map((e) => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])
      .filter(([, h]) => h < 44));
    assert.deepEqual(small, [], `${name}: touch targets under 44px`);
  }
  await page.screenshot({ path: `${SHOTS}/${name.toLowerCase().replace(/\W+/g, '-')}-${size}-${scheme}.png`, fullPage: true });
}

for (const [width, height] of [[390, 844], [1440, 900]]) {
  for (const scheme of ['light', 'dark']) {
    const size = `${width}x${height}`;
    test(`every page by keyboard at ${size}, ${scheme}`, async () => {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme, hasTouch: width < 500 });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(WEB + '/');
      await page.locator(STARTED).waitFor();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await check(page, 'Overview empty', size, scheme);

      // The demo, from the overview's empty state.
      await tabTo(page, focusedIs('button', 'Try the demo'));
      await page.keyboard.press('Enter');
      await page.locator('tr.source-row').nth(3).waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => document.querySelectorAll('tr.source-row.verdict-checking').length === 0, null, { timeout: 60_000 });
      await check(page, 'Overview', size, scheme);

      await navigate(page, 'Backups');
      await page.locator('.backups .count', { hasText: /^\(\d+\)$/ }).waitFor({ timeout: 60_000 });
      await check(page, 'Backups', size, scheme);
      // A filter typed by keyboard lands in the address.
      await tabTo(page, '(() => document.activeElement?.name === "q")()');
      await page.keyboard.type('daily');
      await page.waitForURL(/#\/backups\?q=daily$/);
      // A backup's details, by keyboard.
      await tabTo(page, '(() => document.activeElement?.classList.contains("row-open"))()');
      await page.keyboard.press('Enter');
      await page.locator('aside.details dl.summary').waitFor();
      await check(page, 'Backup details', size, scheme);
      await page.keyboard.press('Escape');
      await page.locator('aside.details').waitFor({ state: 'detached' });

      await navigate(page, 'Connections');
      await check(page, 'Connections', size, scheme);
      await navigate(page, 'Settings');
      await check(page, 'Settings', size, scheme);
      await navigate(page, 'Report');
      await page.locator('article.report-source p.evidence').nth(3).waitFor({ timeout: 30_000 });
      await check(page, 'Report', size, scheme);

      // A source's page, from its row on the overview.
      await navigate(page, 'Overview');
      await tabTo(page, focusedIs('a.source-link', 'mittwald shop project'));
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'mittwald shop project' }).waitFor();
      await page.locator('section.source-health:not(.verdict-checking)').waitFor({ timeout: 30_000 });
      assert.match(page.url(), /#\/source\/mittwald\/[0-9a-f-]+$/);
      await check(page, 'Source', size, scheme);

      // Back and forward: each page comes back as it was, the list's search included.
      const pages = ['Overview', 'Report', 'Settings', 'Connections', 'Backups'];
      for (const name of pages) {
        await page.goBack();
        await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      }
      assert.equal(await page.getByLabel('Search backups').inputValue(), 'daily', 'the list\'s view is restored');
      for (const name of [...pages].reverse().slice(1)) {
        await page.goForward();
        await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      }
      await page.goForward();
      await page.getByRole('heading', { level: 1, name: 'mittwald shop project' }).waitFor();
      // A deep link opens the page as it was, in a fresh tab of the same session.
      const url = page.url().replace(/#.*$/, '#/backups?provider=mittwald&status=completed');
      await page.goto(url);
      await page.locator('.backups .count', { hasText: /^\(\d+ of \d+\)$/ }).waitFor({ timeout: 60_000 });
      assert.equal(await page.getByLabel('Filter by status').inputValue(), 'completed');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
}
