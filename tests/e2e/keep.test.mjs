// "Keep on this device": connections are sealed under a passphrase, asked for on load; a wrong
// one is refused and loses nothing, the right one brings the connections back; storage never
// holds a token in plain text; "Forget everything" empties it; the earlier plain store is
// sealed once a passphrase is chosen. The unlock form is checked by axe and saved as a
// screenshot under target/e2e/keep/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { launch, openApp, go, resetSimulator, addServerAvatar, ARTIFACTS } from './helpers.mjs';

const SHOTS = `${ARTIFACTS}/keep`;
const TOKEN = 'sa-demo-token';
let browser;
before(async () => {
  await resetSimulator();
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
});
after(async () => browser?.close());

/// Every key and value in the page's localStorage and sessionStorage.
const dump = (page) => page.evaluate(() => Object.fromEntries([localStorage, sessionStorage]
  .flatMap((s, i) => Object.keys(s).map((k) => [`${i ? 'session' : 'local'}:${k}`, s.getItem(k)]))));

async function assertNoToken(page, what) {
  const all = JSON.stringify(await dump(page));
  assert.ok(!all.includes(TOKEN), `${what}: storage holds the token: ${all}`);
}

const listed = (page, label) => page.locator('ul.connection-list li.connection', { hasText: label });

async function axe(page, name) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], name);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test('kept connections are sealed, opened only with their passphrase, and forgotten on request', async () => {
  const { context, page, errors } = await openApp(browser);
  await addServerAvatar(page, { label: 'Kept SA', token: TOKEN, organization: '5' });
  await listed(page, 'Kept SA').locator('.conn-status.ok').waitFor({ timeout: 30_000 });

  // Ticking the box asks for a new passphrase; mistakes are said in words.
  await page.getByLabel(/Keep connections and tokens on this device/).check();
  const choose = page.getByRole('form', { name: 'Passphrase for this device' });
  await choose.getByLabel('New passphrase').fill('short');
  await choose.getByLabel('The same passphrase again').fill('other');
  await choose.getByRole('button', { name: 'Keep encrypted on this device' }).click();
  await choose.getByText('The passphrase needs at least 8 characters.').waitFor();
  await choose.getByText('The two passphrases differ.').waitFor();
  assert.equal(await choose.getByLabel('New passphrase').getAttribute('aria-invalid'), 'true');
  await choose.getByLabel('New passphrase').fill('correct horse battery');
  await choose.getByLabel('The same passphrase again').fill('correct horse battery');
  await choose.getByRole('button', { name: 'Keep encrypted on this device' }).click();
  await page.waitForFunction(() => localStorage.getItem('backboard.vault') !== null, null, { timeout: 30_000 });
  await choose.waitFor({ state: 'detached' });

  const stored = await dump(page);
  const sealed = JSON.parse(stored['local:backboard.vault']);
  assert.equal(sealed.v, 1);
  assert.equal(sealed.kdf, 'PBKDF2-SHA-256');
  assert.ok(sealed.iterations >= 600_000, `${sealed.iterations} iterations`);
  assert.equal(sealed.cipher, 'AES-256-GCM');
  assert.ok(!JSON.stringify(stored).includes('Kept SA'), 'the label is sealed too');
  assert.equal(stored['session:backboard.connections'], undefined, 'no plain copy in the tab');
  await assertNoToken(page, 'after keeping');

  // On load the page asks for the passphrase; nothing is listed until then.
  await page.reload();
  const unlock = page.getByRole('region', { name: 'Your connections are locked' });
  await unlock.waitFor();
  await go(page, 'Connections');
  assert.equal(await listed(page, 'Kept SA').count(), 0, 'nothing is listed while locked');
  await axe(page, 'locked');

  // A wrong passphrase is refused in words, and the store stays as it was.
  await unlock.getByLabel('Passphrase', { exact: true }).fill('wrong horse battery');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  const refusal = unlock.getByRole('alert');
  await refusal.waitFor({ timeout: 30_000 });
  assert.match(await refusal.textContent(), /That passphrase does not open the connections kept on this device/);
  assert.equal(await unlock.getByLabel('Passphrase', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await dump(page), stored, 'a wrong passphrase changes nothing in storage');
  await axe(page, 'wrong-passphrase');

  // Still after another reload; then the right passphrase brings the connection back.
  await page.reload();
  await unlock.waitFor();
  await unlock.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await unlock.waitFor({ state: 'detached', timeout: 30_000 });
  await go(page, 'Connections');
  await listed(page, 'Kept SA').locator('.conn-status.ok').waitFor({ timeout: 30_000 });
  assert.ok(await page.getByLabel(/Keep connections and tokens on this device/).isChecked());
  await assertNoToken(page, 'after unlocking');

  // A change is sealed again, under a fresh nonce.
  await addServerAvatar(page, { label: 'Second SA', token: TOKEN, organization: '5' });
  await page.waitForFunction((before) => localStorage.getItem('backboard.vault') !== before,
    stored['local:backboard.vault'], { timeout: 30_000 });
  const again = JSON.parse((await dump(page))['local:backboard.vault']);
  assert.notEqual(again.nonce, sealed.nonce);
  assert.equal(again.salt, sealed.salt, 'the same passphrase, the same salt');
  await assertNoToken(page, 'after a change');

  // "Forget everything" removes the sealed store with the rest.
  await go(page, 'Settings');
  await page.getByRole('button', { name: 'Forget everything on this device' }).click();
  await page.getByRole('button', { name: 'Forget everything', exact: true }).click();
  await page.getByText('Everything Backboard kept in this browser is gone.').waitFor();
  await page.waitForFunction(() => localStorage.getItem('backboard.vault') === null);
  const left = Object.entries(await dump(page)).filter(([, v]) => v !== '[]');
  assert.deepEqual(left, [], 'storage holds nothing of Backboard but an empty list');
  await page.reload();
  await page.locator('h1#page-title').waitFor();
  assert.equal(await unlock.count(), 0, 'nothing to unlock after forgetting');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the earlier plain store is read, and sealed once a passphrase is chosen', async () => {
  const { context, page, errors } = await openApp(browser);
  await page.evaluate((token) => {
    localStorage.setItem('backboard.remember', 'true');
    localStorage.setItem('backboard.connections', JSON.stringify([
      { id: 'c1', label: 'Old SA', provider: 'serveravatar', token, organization: '5' }]));
  }, TOKEN);
  await page.reload();
  await go(page, 'Connections');
  await listed(page, 'Old SA').waitFor();
  await page.getByText('Your connections are kept on this device without encryption').waitFor();
  const choose = page.getByRole('form', { name: 'Passphrase for this device' });
  await choose.getByLabel('New passphrase').fill('a new passphrase');
  await choose.getByLabel('The same passphrase again').fill('a new passphrase');
  await choose.getByRole('button', { name: 'Keep encrypted on this device' }).click();
  await page.waitForFunction(() => localStorage.getItem('backboard.vault') !== null, null, { timeout: 30_000 });
  const stored = await dump(page);
  assert.equal(stored['local:backboard.connections'], undefined, 'the plain list is gone');
  assert.equal(stored['local:backboard.remember'], undefined);
  await assertNoToken(page, 'after sealing the earlier store');
  await page.reload();
  const unlock = page.getByRole('region', { name: 'Your connections are locked' });
  await unlock.getByLabel('Passphrase', { exact: true }).fill('a new passphrase');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await unlock.waitFor({ state: 'detached', timeout: 30_000 });
  await go(page, 'Connections');
  await listed(page, 'Old SA').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
