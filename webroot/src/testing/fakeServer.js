import { vi } from 'vitest';

export function jsonResponse(status, body) {
  return new Response(body === undefined || body === null ? null : JSON.stringify(body), {
    status,
    headers: body === undefined || body === null ? {} : { 'Content-Type': 'application/json' },
  });
}

export const apiError = (status, code, message) => [status, { error: { code, message } }];

// A fetch stand-in that answers by "METHOD /path" (query left off). A route is [status, body] or
// a function of (parsed JSON body, url) giving one. Chat windows' own reads answer empty unless a
// route says otherwise. Every call is recorded: fetch.mock.calls, or requests(...) below.
export function fakeServer(routes) {
  const table = {
    'GET /api/chats': [200, []],
    'GET /api/models': [200, [{ id: 'demo/demo', provider: 'demo', name: 'demo', available: true }]],
    ...routes,
  };
  const fetch = vi.fn(async (url, options = {}) => {
    const method = options.method ?? 'GET';
    const path = url.split('?')[0];
    let route = table[`${method} ${path}`];
    if (route === undefined && method === 'GET' && path.startsWith('/api/messages/')) route = [200, []];
    if (route === undefined) throw new Error(`unexpected ${method} ${url}`);
    const answer = typeof route === 'function' ? route(options.body ? JSON.parse(options.body) : undefined, url) : route;
    return jsonResponse(...answer);
  });
  fetch.requests = (method, path) =>
    fetch.mock.calls
      .filter(([url, options = {}]) => (options.method ?? 'GET') === method && url.split('?')[0] === path)
      .map(([, options = {}]) => (options.body ? JSON.parse(options.body) : undefined));
  return fetch;
}

// A fake server installed as the page's fetch.
export function stubFetch(routes) {
  const fetch = fakeServer(routes);
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

// A DELETE route that takes the record with this id out of the list (in place), as the server would.
export const removing = (records, id) => () => {
  records.splice(
    records.findIndex((record) => record.id === id),
    1,
  );
  return [204];
};
