// End-to-end in a real browser against a Parley with three models, each an echo in its own words:
// default/gpt-4o-mini ("You said: …"), alpha/echo-fast ("Alpha heard: …") and beta/echo-large or
// beta/echo-small ("Beta heard: …"). Run by BrowserE2EIT, which starts the jar and the fake models.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';

const BASE = process.env.PARLEY_URL;
const SWITCHER_SCREENSHOT = process.env.PARLEY_SWITCHER_SCREENSHOT;
const MODELS_SCREENSHOT = process.env.PARLEY_MODELS_SCREENSHOT;
let browser;
let page;
let seen;

before(async () => {
  assert.ok(BASE, 'PARLEY_URL must point at a running Parley');
  ({ browser, page, seen } = await openPage(BASE, { width: 1400, height: 820 }));
});

after(async () => {
  await browser?.close();
});

const windows = () => page.locator('section[data-chat-id]');
const bot = (window) => window.locator('[data-sender="bot"]');
const user = (window) => window.locator('[data-sender="user"]');
// A message with its switcher and buttons.
const botTurn = (window) => window.locator('[data-turn="bot"]');
const userTurn = (window) => window.locator('[data-turn="user"]');
const complete = (window) => window.locator('[data-sender="bot"][data-status="complete"]');

// Once the window may send (its history is in): Send is enabled only then.
async function send(window, text) {
  await window.getByLabel('Message', { exact: true }).fill(text);
  await window.locator('button[type="submit"]:not([disabled])').waitFor();
  await window.getByLabel('Message', { exact: true }).press('Enter');
}

async function idle(window) {
  await window.getByRole('button', { name: 'Send' }).waitFor();
}

test('regenerate with another model, then switch back and forth between the versions', async () => {
  const window = windows().first();
  await window.waitFor();
  await send(window, 'Which way to the lighthouse?');
  await complete(window).waitFor();
  assert.equal(await bot(window).innerText(), 'You said: Which way to the lighthouse?');

  // The window's model becomes alpha's; Regenerate answers with it, beside the first reply.
  await window.getByLabel('Model').selectOption('alpha/echo-fast');
  await botTurn(window).getByRole('button', { name: 'Regenerate' }).click();
  await window.locator('[data-sender="bot"][data-status="complete"]', { hasText: 'Alpha heard' }).waitFor();
  await idle(window);
  assert.equal(await bot(window).count(), 1);
  assert.equal(await botTurn(window).locator('[data-version]').innerText(), '2 / 2');
  assert.match(await botTurn(window).innerText(), /alpha\/echo-fast/);

  await botTurn(window).getByRole('button', { name: 'Previous version' }).click();
  await window.locator('[data-sender="bot"]', { hasText: 'You said: Which way' }).waitFor();
  assert.equal(await botTurn(window).locator('[data-version]').innerText(), '1 / 2');
  if (SWITCHER_SCREENSHOT) await window.screenshot({ path: SWITCHER_SCREENSHOT });

  await botTurn(window).getByRole('button', { name: 'Next version' }).click();
  await window.locator('[data-sender="bot"]', { hasText: 'Alpha heard: Which way' }).waitFor();
  assert.equal(await botTurn(window).locator('[data-version]').innerText(), '2 / 2');
});

test('edit a sent message in place: Esc keeps it, Enter sends a new branch', async () => {
  const window = windows().first();
  await userTurn(window).getByRole('button', { name: 'Edit' }).click();
  await window.getByLabel('Edit message').fill('never sent');
  await window.getByLabel('Edit message').press('Escape');
  assert.equal(await window.getByLabel('Edit message').count(), 0);
  assert.equal(await user(window).innerText(), 'Which way to the lighthouse?');

  await userTurn(window).getByRole('button', { name: 'Edit' }).click();
  await window.getByLabel('Edit message').fill('Which way to the harbour?');
  await window.getByLabel('Edit message').press('Enter');
  await window.locator('[data-sender="bot"][data-status="complete"]', { hasText: 'Alpha heard: Which way to the harbour?' }).waitFor();
  await idle(window);
  assert.equal(await user(window).innerText(), 'Which way to the harbour?');
  assert.equal(await userTurn(window).locator('[data-version]').innerText(), '2 / 2');

  // The old branch is still there, with its own replies.
  await userTurn(window).getByRole('button', { name: 'Previous version' }).click();
  await window.locator('[data-sender="user"]', { hasText: 'lighthouse' }).waitFor();
  assert.equal(await botTurn(window).locator('[data-version]').innerText(), '2 / 2');
  assert.match(await bot(window).innerText(), /Alpha heard: Which way to the lighthouse\?/);
});

test('three windows on three models: Send to all windows makes them stream at once', async () => {
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  assert.equal(await windows().count(), 3);
  const [first, second, third] = [windows().nth(0), windows().nth(1), windows().nth(2)];
  await first.getByLabel('Model').selectOption('default/gpt-4o-mini');
  await third.getByLabel('Model').selectOption('beta/echo-large');
  await second.getByLabel('Model').selectOption('alpha/echo-fast');
  // The model a window asks for is the chat's: wait until each has been saved.
  for (const [window, model] of [[first, 'default/gpt-4o-mini'], [second, 'alpha/echo-fast'], [third, 'beta/echo-large']]) {
    await page.waitForFunction(([w, m]) => w.querySelector('select[aria-label="Model"]').value === m, [await window.elementHandle(), model]);
  }

  const question = 'Describe the sea at night in a few words please, slowly and calmly';
  await page.getByLabel('Message for all windows').fill(question);
  await page.getByRole('button', { name: 'Send to all windows' }).click();
  await page.waitForFunction(() => document.querySelectorAll('section [role="status"]').length === 3);
  await first.locator('[data-sender="bot"][data-status="complete"]', { hasText: `You said: ${question}` }).waitFor();
  await second.locator('[data-sender="bot"][data-status="complete"]', { hasText: 'Alpha heard: Describe' }).waitFor();
  await third.locator('[data-sender="bot"][data-status="complete"]', { hasText: `Beta heard: ${question}` }).waitFor();
  for (const window of [first, second, third]) await idle(window);
  if (MODELS_SCREENSHOT) await page.screenshot({ path: MODELS_SCREENSHOT });
});

test('a chat keeps its title, model and settings across a reload', async () => {
  const third = windows().nth(2);
  const chatId = await third.getAttribute('data-chat-id');
  await third.getByRole('button', { name: 'Settings' }).click();
  await third.getByLabel('System prompt').fill('Answer like a sailor.');
  await third.getByLabel(/Temperature/).fill('0.7');
  await third.getByRole('button', { name: 'Save settings' }).click();
  await third.getByRole('form', { name: 'Chat settings' }).waitFor({ state: 'detached' });
  await third.getByRole('button', { name: /^Rename / }).click();
  await third.getByLabel('Chat title').fill('Night sea, by beta');
  await third.getByLabel('Chat title').press('Enter');
  await third.getByRole('button', { name: 'Rename Night sea, by beta' }).waitFor();

  await page.reload();
  const again = page.locator(`section[data-chat-id="${chatId}"]`);
  await again.getByRole('button', { name: 'Rename Night sea, by beta' }).waitFor();
  assert.equal(await again.getByLabel('Model').inputValue(), 'beta/echo-large');
  await again.getByRole('button', { name: 'Settings' }).click();
  assert.equal(await again.getByLabel('System prompt').inputValue(), 'Answer like a sailor.');
  assert.equal(await again.getByLabel(/Temperature/).inputValue(), '0.7');
  await again.getByRole('button', { name: 'Cancel' }).click();

  // Pinned in Past chats, first of the list.
  await page.getByRole('button', { name: 'Past chats' }).click();
  await page.getByRole('button', { name: 'Pin Night sea, by beta' }).click();
  await page.getByRole('button', { name: 'Unpin Night sea, by beta' }).waitFor();
  const firstListed = page.getByRole('list', { name: 'Past chats' }).locator('li').first();
  assert.equal(await firstListed.getAttribute('data-chat'), chatId);
});

test('the app runs under the strict CSP: nothing refused, no page error, nothing fetched elsewhere', () => {
  assert.deepEqual(seen.cspViolations, []);
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.foreignRequests, []);
});
