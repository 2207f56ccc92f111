// End-to-end in a real browser (Debian's Chromium driven by playwright-core) against a running
// Parley whose model echoes: the reply to "x" is "You said: x", one word at a time.
// Run by BrowserE2EIT (mvn verify), which starts the jar and the fake model and sets PARLEY_URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';

const BASE = process.env.PARLEY_URL;
// POST here cuts every connection between the browser and Parley for a moment (a proxy in between).
const CUT = process.env.PARLEY_CUT_URL;
const SCREENSHOT = process.env.PARLEY_SCREENSHOT;
let browser;
let page;
let seen;

before(async () => {
  assert.ok(BASE, 'PARLEY_URL must point at a running Parley');
  ({ browser, page, seen } = await openPage(BASE, { width: 1280, height: 760 }));
});

after(async () => {
  await browser?.close();
});

const ALPHA = 'alpha one two three four five six seven eight nine ten eleven twelve thirteen fourteen';
const BETA = 'beta fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three';
const windows = () => page.locator('section[data-chat-id]');
const botReplies = (window) => window.locator('[data-sender="bot"]');

async function send(window, text) {
  await window.getByLabel('Message', { exact: true }).fill(text);
  await window.getByLabel('Message', { exact: true }).press('Enter');
}

test('two windows stream their replies at the same time', async () => {
  await windows().first().waitFor();
  await page.getByRole('button', { name: 'New chat' }).click();
  assert.equal(await windows().count(), 2);
  const [left, right] = [windows().nth(0), windows().nth(1)];

  // One after the other, at once: a key press goes to the focused box, so two cannot overlap.
  await send(left, ALPHA);
  await send(right, BETA);

  // Both are streaming at one moment, each with its own text.
  await page.waitForFunction(() => document.querySelectorAll('section [role="status"]').length === 2);
  await left.locator('[data-sender="bot"][data-status="complete"]').waitFor();
  await right.locator('[data-sender="bot"][data-status="complete"]').waitFor();
  assert.equal(await botReplies(left).first().innerText(), `You said: ${ALPHA}`);
  assert.equal(await botReplies(right).first().innerText(), `You said: ${BETA}`);
  assert.equal(await left.locator('[data-sender="user"]').first().innerText(), ALPHA);
  assert.equal(await right.locator('[data-sender="user"]').first().innerText(), BETA);
  assert.equal(await left.getByRole('button', { name: 'Stop' }).count(), 0);
});

test('Stop mid-reply keeps the partial text, marked stopped', async () => {
  const left = windows().nth(0);
  const long = Array(8).fill('Tell me a long story about the sea, a lighthouse, and the keeper who lived there alone.').join(' ');
  await send(left, long);
  const reply = botReplies(left).nth(1);
  await page.waitForFunction(
    (el) => el && el.innerText.split(' ').length > 6,
    await reply.elementHandle(),
  );
  await left.getByRole('button', { name: 'Stop' }).click();
  await left.locator('[data-sender="bot"][data-status="terminated"]').waitFor();
  const text = await reply.locator('.markdown').innerText();
  assert.ok(`You said: ${long}`.startsWith(text), `partial text is a prefix of the reply: ${text}`);
  assert.ok(text.length < `You said: ${long}`.length, 'the reply was cut short');
  assert.equal(await reply.getByText('Stopped').count(), 1);
  await left.getByRole('button', { name: 'Send' }).waitFor();
});

test('a connection that drops mid-reply resumes with nothing missing or twice', async () => {
  const right = windows().nth(1);
  const chatId = await right.getAttribute('data-chat-id');
  const resumedFrom = [];
  page.on('request', async (request) => {
    if (!request.url().endsWith(`/api/stream/${chatId}`)) return;
    const lastEventId = (await request.allHeaders())['last-event-id'];
    if (lastEventId) resumedFrom.push(Number(lastEventId));
  });
  const words = Array.from({ length: 80 }, (_, i) => `n${i}`).join(' ');
  await send(right, words);
  const reply = botReplies(right).nth(1);
  await page.waitForFunction((el) => el && el.innerText.split(' ').length > 8, await reply.elementHandle());
  // Every connection drops; the browser's EventSource retries, sending Last-Event-ID.
  assert.equal((await fetch(CUT, { method: 'POST' })).status, 200);
  await right.locator('[data-sender="bot"][data-status="complete"]').nth(1).waitFor();
  assert.ok(resumedFrom.some((id) => id > 0), `the browser reconnected with Last-Event-ID (saw ${resumedFrom})`);
  assert.equal(await reply.locator('.markdown').innerText(), `You said: ${words}`);
});

test('a reload shows both windows with their history', async () => {
  const before = await windows().evaluateAll((sections) => sections.map((s) => s.innerText));
  await page.reload();
  await windows().nth(1).locator('[data-sender="bot"]').first().waitFor();
  await windows().nth(0).locator('[data-status="terminated"]').waitFor();
  assert.equal(await windows().count(), 2);
  const afterReload = await windows().evaluateAll((sections) => sections.map((s) => s.innerText));
  for (let i = 0; i < 2; i++) {
    for (const line of ['You said: alpha', 'You said: beta'].filter((l) => before[i].includes(l))) {
      assert.ok(afterReload[i].includes(line), `window ${i} still shows "${line}"`);
    }
  }
  assert.ok(afterReload[0].includes('Stopped'));
  assert.ok(afterReload[1].includes('You said: n0 n1'), 'the resumed reply is in the history');
  if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });
});

test('a reply started elsewhere is picked up live when its chat is opened', async () => {
  const chatId = `elsewhere-${Date.now()}`;
  const words = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
  const posted = await fetch(`${BASE}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ chatId, content: words }),
  });
  assert.equal(posted.status, 201);
  await page.getByRole('button', { name: 'Past chats' }).click();
  await page.getByRole('list', { name: 'Past chats' }).getByText(words.slice(0, 20)).click();
  const window = page.locator(`section[data-chat-id="${chatId}"]`);
  await window.getByRole('status').waitFor();
  await window.locator('[data-sender="bot"][data-status="complete"]').waitFor();
  assert.equal(await botReplies(window).innerText(), `You said: ${words}`);
  // By its role alone: the chat's automatic title may replace the one shown at any moment now.
  await window.getByRole('button', { name: /^Close chat/ }).click();
  assert.equal(await page.locator(`section[data-chat-id="${chatId}"]`).count(), 0);
});

test('the app runs under the strict CSP: nothing refused, no page error, nothing fetched elsewhere', () => {
  assert.deepEqual(seen.cspViolations, []);
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.foreignRequests, []);
});
