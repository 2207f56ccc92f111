import { afterEach, describe, expect, it, vi } from 'vitest';
import * as api from './api.js';
import { apiError, fakeServer } from './testing/fakeServer.js';

describe('api', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("turns an error answer into an ApiError with the server's message and code", async () => {
    vi.stubGlobal('fetch', fakeServer({ 'POST /api/auth/login': apiError(429, 'rate_limited', 'Too many failed sign-ins: try again in 15 minutes.') }));
    const failure = await api.signIn({ username: 'ada', password: 'x' }).catch((error) => error);
    expect(failure).toBeInstanceOf(api.ApiError);
    expect(failure.message).toBe('Too many failed sign-ins: try again in 15 minutes.');
    expect(failure.status).toBe(429);
    expect(failure.code).toBe('rate_limited');
  });

  it('tells its listeners about 401 unauthenticated, and not about wrong credentials', async () => {
    const listener = vi.fn();
    const stop = api.onUnauthenticated(listener);
    vi.stubGlobal(
      'fetch',
      fakeServer({
        'GET /api/tokens': apiError(401, 'unauthenticated', 'Sign in first.'),
        'POST /api/auth/login': apiError(401, 'invalid_credentials', 'Wrong username or password.'),
      }),
    );
    await expect(api.signIn({ username: 'ada', password: 'wrong-one' })).rejects.toThrow('Wrong username or password.');
    expect(listener).not.toHaveBeenCalled();
    await expect(api.listTokens()).rejects.toThrow('Sign in first.');
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    await expect(api.listTokens()).rejects.toThrow();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('sends the account calls as the contract says', async () => {
    const fetch = fakeServer({
      'POST /api/users': [201, { user: { id: 'u2' } }],
      'DELETE /api/users/u%2F2': [204],
      'DELETE /api/tokens/t1': [204],
    });
    vi.stubGlobal('fetch', fetch);
    await api.createUser({ username: 'bob', password: 'password1' });
    await api.createUser({ username: 'eve', password: 'password1', role: 'admin' });
    expect(fetch.requests('POST', '/api/users')).toEqual([
      { username: 'bob', password: 'password1' },
      { username: 'eve', password: 'password1', role: 'admin' },
    ]);
    expect(fetch.mock.calls[0][1].headers).toEqual({ 'Content-Type': 'application/json' });
    await expect(api.revokeToken('t1')).resolves.toBeNull();
    await expect(api.deleteUser('u/2')).resolves.toBeNull();
  });
});
