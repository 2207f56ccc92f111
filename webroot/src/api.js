// The Parley HTTP API (docs/API.md). Every failure becomes an Error with a readable message.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function call(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new ApiError('Cannot reach Parley: check your connection.', 0);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body?.error?.message ?? `Parley answered ${response.status}`;
    throw new ApiError(message, response.status);
  }
  return body;
}

export const PAGE_SIZE = 50;

export function loadHistory(chatId, before) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (before) params.set('before', before);
  return call(`/api/messages/${encodeURIComponent(chatId)}?${params}`);
}

export function sendMessage(chatId, content) {
  return call('/api/messages', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ chatId, content }),
  });
}

export function terminate(chatId) {
  return call(`/api/stream/${encodeURIComponent(chatId)}/terminate`, { method: 'POST' });
}

export function listChats() {
  return call('/api/chats');
}

export function streamUrl(chatId) {
  return `/api/stream/${encodeURIComponent(chatId)}`;
}
