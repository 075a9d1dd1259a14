// Renders the app's first screen (a visitor with nothing stored, at `#/`) in Chromium and prints
// its <body> markup, which the build writes into index.html: the page paints before its wasm,
// from the app's own components.
import { chromium } from 'playwright-core';

const url = process.argv[2];
if (!url) throw new Error('usage: node render-shell.mjs <url of the built app>');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext()).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${url}#/`);
  await page.locator('body:not([data-shell]) h1#page-title').waitFor({ timeout: 60_000 });
  // Whatever the app renders after its first task (resources, effects) is part of it too.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100))));
  if (errors.length) throw new Error(`the app failed while rendering: ${errors.join('; ')}`);
  process.stdout.write(await page.evaluate(() => document.body.innerHTML));
} finally {
  await browser.close();
}
