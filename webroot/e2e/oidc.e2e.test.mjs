// End-to-end in a real browser, signing in through a real Keycloak (PARLEY_AUTH=oidc): a person
// clicks Sign in, fills Keycloak's own login form, lands back in Parley signed in, chats and sees
// the reply stream, and signs out (at Keycloak too); a second person, a member of the admin group,
// signs in, sees none of the first one's chats, and is an admin.
// The model echoes: the reply to "x" is "You said: x", one word at a time.
// Run by BrowserE2EIT (mvn verify), which starts Keycloak, the jar and the fake model and sets
// PARLEY_URL, KEYCLOAK_URL, OIDC_USER and OIDC_ADMIN (username:password each).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';

const BASE = process.env.PARLEY_URL;
const KEYCLOAK = process.env.KEYCLOAK_URL;
const person = (value) => {
  const [username, password] = (value ?? '').split(':');
  return { username, password };
};
const USER = person(process.env.OIDC_USER);
const ADMIN = person(process.env.OIDC_ADMIN);

let browser;
let page;
let seen;
const userChats = [];

before(async () => {
  assert.ok(BASE && KEYCLOAK && USER.password && ADMIN.password, 'PARLEY_URL, KEYCLOAK_URL, OIDC_USER and OIDC_ADMIN must be set');
  const config = await (await fetch(`${BASE}/api/auth/config`)).json();
  assert.deepEqual(config, { mode: 'oidc', signup: 'closed', needsSetup: false }, 'this file needs a Parley started with PARLEY_AUTH=oidc');
  ({ browser, page, seen } = await openPage(BASE, { width: 1200, height: 720 }));
});

after(async () => {
  await browser?.close();
});

const windows = () => page.locator('section[data-chat-id]');
const header = () => page.locator('header');
const nav = () => page.getByRole('navigation', { name: 'Pages' });
const api = (path, options) => page.request.fetch(`${BASE}${path}`, options);

// From Parley's sign-in page through Keycloak's form, back to Parley signed in.
async function signIn({ username, password }) {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === new URL(KEYCLOAK).origin);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
  await page.waitForURL((url) => url.origin === new URL(BASE).origin);
  await header().locator(`[data-username="${username}"]`).waitFor();
}

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

test('the sign-in page is one button to the provider: no password form of its own', async () => {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.getByRole('form', { name: 'Sign in' }).count(), 0);
  assert.equal(await page.getByLabel('Password').count(), 0);
  assert.equal((await api('/api/me')).status(), 401);
});

test('a person signs in on Keycloak\'s login form and lands back in Parley, signed in', async () => {
  await signIn(USER);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.deepEqual(await nav().getByRole('button').allInnerTexts(), ['Chats', 'Tokens'], 'a user, not an admin');
  const me = await (await api('/api/me')).json();
  assert.equal(me.user.username, USER.username);
  assert.equal(me.user.role, 'user');
});

test('they send a message and see the reply stream to its end', async () => {
  const window = windows().first();
  const text = 'Hello Parley, signed in through Keycloak and watching the reply stream';
  const reply = await sendAndSeeReply(window, text);
  assert.equal(await reply.locator('.markdown').innerText(), `You said: ${text}`);
  await header().getByText(/^Today: 1 reply · /).waitFor();
  userChats.push(await window.getAttribute('data-chat-id'));
});

test('they sign out: at Keycloak too, and back on Parley\'s sign-in page', async () => {
  await header().getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.origin === new URL(KEYCLOAK).origin);
  // Keycloak asks before it ends its own session (no ID token was sent along).
  const confirm = page.locator('#kc-logout');
  if (await confirm.count()) await confirm.click();
  await page.waitForURL((url) => url.origin === new URL(BASE).origin);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal((await api('/api/me')).status(), 401);
});

test('a member of the admin group signs in: an admin, who sees none of the first person\'s chats', async () => {
  await signIn(ADMIN);
  assert.deepEqual(await nav().getByRole('button').allInnerTexts(), ['Chats', 'Tokens', 'Users']);
  await windows().first().waitFor();
  assert.equal(await windows().count(), 1);
  assert.ok(!userChats.includes(await windows().first().getAttribute('data-chat-id')));
  assert.equal(await page.getByText('You said:').count(), 0);
  assert.deepEqual(await (await api('/api/chats')).json(), []);
  for (const chatId of userChats) {
    assert.deepEqual(await (await api(`/api/messages/${chatId}`)).json(), []);
  }
  // The Users page lists both accounts, made by signing in, and offers no form to make one.
  await nav().getByRole('button', { name: 'Users' }).click();
  const table = page.getByRole('table', { name: 'Users' });
  await table.getByRole('cell', { name: USER.username, exact: true }).waitFor();
  // Their own row says "(you)" after the name.
  const admin = table.getByRole('row').filter({ has: page.getByRole('cell', { name: new RegExp(`^${ADMIN.username}\\s*\\(you\\)$`) }) });
  assert.equal(await admin.getByRole('cell', { name: 'admin', exact: true }).count(), 1);
  assert.equal(await page.getByRole('form', { name: 'Create user' }).count(), 0);
});

test('Parley\'s pages ran under the strict CSP, and the browser went nowhere but Parley and Keycloak', () => {
  assert.deepEqual(seen.pageErrors, []);
  const keycloakOrigin = new URL(KEYCLOAK).origin;
  assert.deepEqual(seen.foreignRequests.filter((url) => new URL(url).origin !== keycloakOrigin), []);
  assert.deepEqual(seen.cspViolations, []);
});
