// End-to-end in a real browser, accounts on (PARLEY_AUTH=local, a fresh data directory, sign-up
// closed): the first run makes the admin, the admin chats and makes user bob, bob signs in and
// sees only his own chats, makes an API token whose secret is shown once, and signs out.
// The model echoes: the reply to "x" is "You said: x", one word at a time.
// Run by BrowserE2EIT (mvn verify), which starts the jar and the fake model and sets PARLEY_URL;
// by hand: PARLEY_URL=http://127.0.0.1:PORT node --test e2e/accounts.e2e.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';

const BASE = process.env.PARLEY_URL;
const SCREENSHOT = process.env.PARLEY_SCREENSHOT;
const ADMIN = { username: 'admin', password: 'admin-password-1' };
const BOB = { username: 'bob', password: 'bob-password-1' };
// A link to an image on another site, as an injected reply would carry it to leak the chat.
const IMAGE_URL = 'https://images.example.com/pixel.png?chat=secret';

let browser;
let page;
let seen;
const adminChats = [];

before(async () => {
  assert.ok(BASE, 'PARLEY_URL must point at a running Parley with PARLEY_AUTH=local and no account yet');
  const config = await (await fetch(`${BASE}/api/auth/config`)).json();
  assert.deepEqual(config, { mode: 'local', signup: 'closed', needsSetup: true },
    'this file needs a Parley started with PARLEY_AUTH=local, sign-up closed, and an empty PARLEY_DATA_DIR');
  // Two chat windows fill this width (three columns start at 1280 px): the README's screenshot.
  ({ browser, page, seen } = await openPage(BASE, { width: 1200, height: 720 }));
});

after(async () => {
  await browser?.close();
});

const windows = () => page.locator('section[data-chat-id]');
const header = () => page.locator('header');
const nav = () => page.getByRole('navigation', { name: 'Pages' });
const api = (path, options) => page.request.fetch(`${BASE}${path}`, options);

async function signIn({ username, password }) {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await header().locator(`[data-username="${username}"]`).waitFor();
}

async function signOut() {
  await header().getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
}

// Sends `text` in `window` and waits for the whole reply: first streaming (a part of it shown,
// the window saying so), then complete, with every word. Returns the reply's locator.
async function sendAndSeeReply(window, text) {
  const replies = window.locator('[data-sender="bot"]');
  const before = await replies.count();
  await window.getByLabel('Message', { exact: true }).fill(text);
  await window.getByLabel('Message', { exact: true }).press('Enter');
  const reply = replies.nth(before);
  const expected = `You said: ${text}`;
  await window.getByRole('status').filter({ hasText: 'streaming' }).waitFor();
  await page.waitForFunction(
    ([el, full]) => el && el.innerText.length > 0 && el.innerText.length < full.length && full.startsWith(el.innerText.trim()),
    [await reply.elementHandle(), expected],
  );
  await window.locator(`[data-sender="bot"][data-status="complete"]`).nth(before).waitFor();
  await window.getByRole('status').waitFor({ state: 'detached' });
  return reply;
}

test('the first visit shows the first-run page, and the admin account made there is signed in', async () => {
  await page.getByRole('heading', { name: 'Set up Parley' }).waitFor();
  const form = page.getByRole('form', { name: 'Create the admin account' });
  await form.getByLabel('Username').fill(ADMIN.username);
  await form.getByLabel('Password').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Create admin account' }).click();
  await header().locator('[data-username="admin"]').waitFor();
  await header().getByText('Today: 0 replies · 0 tokens').waitFor();
  assert.deepEqual(await nav().getByRole('button').allInnerTexts(), ['Chats', 'Tokens', 'Users']);
  assert.equal(await nav().getByRole('button', { name: 'Chats', exact: true }).getAttribute('aria-current'), 'page');
  assert.equal((await (await api('/api/auth/config')).json()).needsSetup, false);
});

test('the admin sends a message and sees the reply stream to its end', async () => {
  const window = windows().first();
  const text = 'Hello Parley, this is the admin checking that replies stream word by word to the end';
  const reply = await sendAndSeeReply(window, text);
  assert.equal(await reply.locator('.markdown').innerText(), `You said: ${text}`);
  assert.equal(await window.locator('[data-sender="user"]').innerText(), text);
  // The header's usage follows the reply.
  await header().getByText(/^Today: 1 reply · /).waitFor();
  adminChats.push(await window.getAttribute('data-chat-id'));
});

test('a Markdown image in a reply is shown as a link: no <img>, nothing fetched from its site', async () => {
  await page.getByRole('button', { name: 'New chat' }).click();
  assert.equal(await windows().count(), 2);
  const window = windows().nth(1);
  const reply = await sendAndSeeReply(window, `Here is the chart: ![sales chart](${IMAGE_URL})`);
  const link = reply.locator('a[data-image-link]');
  assert.equal(await link.getAttribute('href'), IMAGE_URL);
  assert.match(await link.innerText(), /\[Image: sales chart\]/);
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
  assert.equal(await page.locator('img').count(), 0, 'no <img> anywhere on the page');
  assert.deepEqual(seen.foreignRequests, []);
  adminChats.push(await window.getAttribute('data-chat-id'));
  await header().getByText(/^Today: 2 replies · /).waitFor();
  if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });
});

test('the admin creates user bob on the Users page', async () => {
  await nav().getByRole('button', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  const form = page.getByRole('form', { name: 'Create user' });
  await form.getByLabel('Username').fill(BOB.username);
  await form.getByLabel('Password').fill(BOB.password);
  await form.getByLabel('Role').selectOption('user');
  await form.getByRole('button', { name: 'Create user' }).click();
  await form.getByRole('status').filter({ hasText: 'Created bob.' }).waitFor();
  const table = page.getByRole('table', { name: 'Users' });
  const bob = table.getByRole('row').filter({ has: page.getByRole('cell', { name: 'bob', exact: true }) });
  await bob.waitFor();
  assert.equal(await bob.getByRole('cell', { name: 'user', exact: true }).count(), 1);
  await bob.getByRole('button', { name: 'Delete user bob' }).waitFor();
  // The admin's own row offers no delete.
  assert.equal(await table.getByRole('button', { name: 'Delete user admin' }).count(), 0);
  // The chat windows stayed where they were.
  await nav().getByRole('button', { name: 'Chats', exact: true }).click();
  assert.equal(await windows().count(), 2);
});

test('the admin signs out: the sign-in page, without sign-up, and the session is gone', async () => {
  await signOut();
  assert.equal(await page.getByRole('button', { name: 'Create account' }).count(), 0, 'sign-up is closed');
  assert.equal(await page.locator('[data-username]').count(), 0);
  assert.equal((await api('/api/me')).status(), 401);
  await page.reload();
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
});

test('bob signs in and sees none of the admin\'s chats', async () => {
  await signIn(BOB);
  assert.deepEqual(await nav().getByRole('button').allInnerTexts(), ['Chats', 'Tokens'], 'no Users page for a user');
  await header().getByText('Today: 0 replies · 0 tokens').waitFor();
  // One empty window of his own, none of the admin's.
  await windows().first().waitFor();
  assert.equal(await windows().count(), 1);
  assert.ok(!adminChats.includes(await windows().first().getAttribute('data-chat-id')));
  assert.equal(await page.locator('[data-sender]').count(), 0);
  assert.equal(await page.getByText('You said:').count(), 0);
  await page.getByRole('button', { name: 'Past chats' }).click();
  const list = page.getByRole('list', { name: 'Past chats' });
  await list.getByText('No chats yet.').waitFor();
  assert.equal(await list.getByRole('button').count(), 0);
  await page.getByRole('button', { name: 'Past chats' }).click();
  // Nor through the API his browser speaks: someone else's chat looks like no chat at all.
  assert.deepEqual(await (await api('/api/chats')).json(), []);
  for (const chatId of adminChats) {
    assert.deepEqual(await (await api(`/api/messages/${chatId}`)).json(), []);
  }
});

test('bob sends his own message and sees its reply', async () => {
  const window = windows().first();
  const text = 'Hi, I am bob and this is my own chat';
  const reply = await sendAndSeeReply(window, text);
  assert.equal(await reply.locator('.markdown').innerText(), `You said: ${text}`);
  await header().getByText(/^Today: 1 reply · /).waitFor();
  await page.getByRole('button', { name: 'Past chats' }).click();
  const list = page.getByRole('list', { name: 'Past chats' });
  await list.getByRole('button').first().waitFor();
  assert.equal(await list.locator('li').count(), 1, 'only his own chat');
  // Its title: the start of the message, or the model's name for it once the reply is in.
  assert.match(await list.getByRole('button').first().innerText(), /Hi, I am/);
  await page.getByRole('button', { name: 'Past chats' }).click();
});

test('bob makes an API token on the Tokens page: its secret is shown once, and it works', async () => {
  await nav().getByRole('button', { name: 'Tokens' }).click();
  await page.getByRole('heading', { name: 'API tokens' }).waitFor();
  await page.getByText('No tokens yet.').waitFor();
  const form = page.getByRole('form', { name: 'Create token' });
  await form.getByLabel('Token name').fill('laptop script');
  await form.getByRole('button', { name: 'Create token' }).click();
  const created = page.getByRole('region', { name: 'New token' });
  const secretBox = created.getByLabel('Token secret');
  await secretBox.waitFor();
  const secret = await secretBox.inputValue();
  assert.ok(secret.length >= 20, `a long secret (${secret.length} characters)`);
  assert.equal(await secretBox.getAttribute('readonly'), '');
  await created.getByRole('button', { name: 'Copy token' }).waitFor();
  const table = page.getByRole('table', { name: 'Your tokens' });
  await table.getByRole('button', { name: 'Revoke token laptop script' }).waitFor();

  // The secret is bob's: a script that sends it is bob (and it never went to the list).
  const me = await fetch(`${BASE}/api/me`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).user.username, 'bob');
  assert.ok(!(await (await api('/api/tokens')).text()).includes(secret));

  // Done: the secret is gone from the page, and coming back does not show it again.
  await created.getByRole('button', { name: 'Done' }).click();
  await created.waitFor({ state: 'detached' });
  assert.ok(!(await page.content()).includes(secret));
  await nav().getByRole('button', { name: 'Chats', exact: true }).click();
  await nav().getByRole('button', { name: 'Tokens' }).click();
  await table.getByRole('button', { name: 'Revoke token laptop script' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'New token' }).count(), 0);
  assert.ok(!(await page.content()).includes(secret));
});

test('bob signs out: the sign-in page, and his session no longer works', async () => {
  await signOut();
  assert.equal(await page.locator('[data-username]').count(), 0);
  assert.equal((await api('/api/me')).status(), 401);
  assert.equal((await api('/api/chats')).status(), 401);
  await page.reload();
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
  assert.equal(await windows().count(), 0);
});

test('the app ran under the strict CSP: nothing refused, no page error, nothing fetched elsewhere', () => {
  assert.deepEqual(seen.cspViolations, []);
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.foreignRequests, []);
});
