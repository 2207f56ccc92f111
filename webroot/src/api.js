// The Parley HTTP API (docs/API.md). Every failure becomes an Error with a readable message.

export class ApiError extends Error {
  constructor(message, status, code = null) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Told whenever the server says the caller is not signed in (401 unauthenticated), whichever
// call it was: the session owner decides what that means (back to the sign-in page).
const unauthenticatedListeners = new Set();

export function onUnauthenticated(listener) {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

async function reach(path, options) {
  try {
    return await fetch(path, options);
  } catch {
    throw new ApiError('Cannot reach Parley: check your connection.', 0);
  }
}

async function call(path, options = {}) {
  const response = await reach(path, options);
  if (response.status === 204) return null;
  return answer(response, await response.text());
}

function answer(response, text) {
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body?.error?.message ?? `Parley answered ${response.status}`;
    const code = body?.error?.code ?? null;
    if (response.status === 401 && code === 'unauthenticated') unauthenticatedListeners.forEach((listener) => listener());
    throw new ApiError(message, response.status, code);
  }
  return body;
}

function send(method, path, body) {
  if (body === undefined) return call(path, { method });
  return call(path, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export const PAGE_SIZE = 50;
// Pages fetched to reach a message far back (the API's largest).
export const FAR_PAGE_SIZE = 1000;

// One path through the chat's tree: the latest, or the one through `via` (a message id).
export function loadHistory(chatId, before, via, limit = PAGE_SIZE) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (before) params.set('before', before);
  if (via) params.set('via', via);
  return call(`/api/messages/${encodeURIComponent(chatId)}?${params}`);
}

// `parentId` (undefined: after the latest message; null: a new first message) and `model` are optional.
export function sendMessage(chatId, content, { parentId, model } = {}) {
  const body = { chatId, content };
  if (parentId !== undefined) body.parentId = parentId;
  if (model) body.model = model;
  return send('POST', '/api/messages', body);
}

export function regenerate(messageId, model) {
  return send('POST', `/api/messages/${encodeURIComponent(messageId)}/regenerate`, model ? { model } : {});
}

export function listModels() {
  return call('/api/models');
}

// {title?, systemPrompt?, model?, temperature?, pinned?, archived?}: answers the chat.
export function updateChat(chatId, changes) {
  return send('PATCH', `/api/chats/${encodeURIComponent(chatId)}`, changes);
}

export function terminate(chatId) {
  return call(`/api/stream/${encodeURIComponent(chatId)}/terminate`, { method: 'POST' });
}

// [{chatId, messageId, title, snippet, createdAt}], best first; snippet: see snippet.js.
export function search(query, limit = 20) {
  return call(`/api/search?${new URLSearchParams({ q: query, limit: String(limit) })}`);
}

// A chat as a file: format 'md' (the current path) or 'json' (the whole tree, which importChats
// takes back). Resolves to a Blob.
export async function exportChat(chatId, format) {
  const response = await reach(`/api/chats/${encodeURIComponent(chatId)}/export?${new URLSearchParams({ format })}`);
  if (!response.ok) answer(response, await response.text());
  return response.blob();
}

// A Parley JSON export or a ChatGPT conversations.json, sent as it is: {chats: [{chatId, title, messageCount}]}.
export function importChats(file) {
  return call('/api/import', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: file });
}

// With archived chats too (each says whether it is).
export function listChats() {
  return call('/api/chats?archived=true');
}

export function streamUrl(chatId) {
  return `/api/stream/${encodeURIComponent(chatId)}`;
}

// Identity and access.

export function authConfig() {
  return call('/api/auth/config');
}

export function signUp({ username, password }) {
  return send('POST', '/api/auth/signup', { username, password });
}

export function signIn({ username, password }) {
  return send('POST', '/api/auth/login', { username, password });
}

// null (204), or {endSessionUrl} when an OpenID provider's session should end too.
export function signOut() {
  return call('/api/auth/logout', { method: 'POST' });
}

export function me() {
  return call('/api/me');
}

export const OIDC_LOGIN_URL = '/auth/login';

export function listTokens() {
  return call('/api/tokens');
}

export function createToken(name) {
  return send('POST', '/api/tokens', { name });
}

export function revokeToken(id) {
  return send('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
}

export function listUsers() {
  return call('/api/users');
}

export function createUser({ username, password, role }) {
  return send('POST', '/api/users', role ? { username, password, role } : { username, password });
}

export function deleteUser(id) {
  return send('DELETE', `/api/users/${encodeURIComponent(id)}`);
}
