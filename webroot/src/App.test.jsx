import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.jsx';
import { openEventSource } from './eventSource.js';
import { navigateTo } from './navigation.js';
import { FakeEventSource } from './testing/FakeEventSource.js';
import { ListMeasurements } from './testing/ListMeasurements.jsx';
import { apiError, fakeServer } from './testing/fakeServer.js';

vi.mock('./eventSource.js', () => ({ openEventSource: vi.fn() }));
vi.mock('./navigation.js', () => ({ navigateTo: vi.fn() }));

const NONE = { mode: 'none', signup: 'closed', needsSetup: false };
const LOCAL = { mode: 'local', signup: 'closed', needsSetup: false };
const usage = { today: { replies: 3, promptTokens: 1000, completionTokens: 234 }, month: { replies: 40, promptTokens: 9000, completionTokens: 1000 } };
const ada = { user: { id: 'u1', username: 'ada', role: 'user' }, usage };
const admin = { user: { id: 'u0', username: 'root', role: 'admin' }, usage };
const signedOut = apiError(401, 'unauthenticated', 'Sign in first.');

function start(routes) {
  const fetch = fakeServer(routes);
  vi.stubGlobal('fetch', fetch);
  render(<App />, { wrapper: ListMeasurements });
  return fetch;
}

function fill(form, username, password) {
  fireEvent.change(within(form).getByLabelText('Username'), { target: { value: username } });
  fireEvent.change(within(form).getByLabelText('Password'), { target: { value: password } });
}

describe('App and accounts', () => {
  beforeEach(() => {
    localStorage.clear();
    openEventSource.mockImplementation((url) => new FakeEventSource(url));
    navigateTo.mockReset();
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('in mode none looks as it always did: chat windows, no sign-in, no account', async () => {
    const fetch = start({ 'GET /api/auth/config': [200, NONE] });
    await screen.findByRole('button', { name: 'New chat' });
    expect(screen.getByRole('button', { name: 'Past chats' })).toBeTruthy();
    expect(screen.getAllByRole('region', { name: /^Chat / })).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Pages' })).toBeNull();
    expect(fetch.requests('GET', '/api/me')).toHaveLength(0);
  });

  it('treats a Parley without /api/auth/config as mode none, and offers a retry when it cannot be reached', async () => {
    start({ 'GET /api/auth/config': apiError(404, 'not_found', 'No such route') });
    await screen.findByRole('button', { name: 'New chat' });
    cleanup();
    let answer = apiError(503, 'store_unavailable', 'The store is not available.');
    start({ 'GET /api/auth/config': () => answer });
    expect((await screen.findByRole('alert')).textContent).toBe('The store is not available.');
    answer = [200, NONE];
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('button', { name: 'New chat' });
  });

  it('asks for the first admin on a new local Parley, checks the rules, shows the server message, then signs in', async () => {
    let signup = apiError(409, 'username_taken', 'That name is taken.');
    const fetch = start({
      'GET /api/auth/config': [200, { ...LOCAL, needsSetup: true }],
      'POST /api/auth/signup': () => signup,
      'GET /api/me': [200, { ...admin, usage: { today: { replies: 0, promptTokens: 0, completionTokens: 0 } } }],
    });
    const form = await screen.findByRole('form', { name: 'Create the admin account' });
    const submit = within(form).getByRole('button', { name: 'Create admin account' });

    fill(form, 'a', 'long enough');
    fireEvent.click(submit);
    expect((await within(form).findByRole('alert')).textContent).toMatch(/2 to 32 characters/);
    fill(form, 'root', 'short');
    fireEvent.click(submit);
    expect((await within(form).findByRole('alert')).textContent).toMatch(/8 to 256 characters/);
    expect(fetch.requests('POST', '/api/auth/signup')).toHaveLength(0);

    fill(form, '  Root ', 'correct horse');
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toBe('That name is taken.'));
    expect(fetch.requests('POST', '/api/auth/signup')).toEqual([{ username: 'root', password: 'correct horse' }]);

    signup = [201, { user: admin.user }];
    fireEvent.click(submit);
    await screen.findByRole('button', { name: 'Sign out' });
    expect(screen.getByText('root')).toBeTruthy();
    expect(screen.getByText('Today: 0 replies · 0 tokens')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Users' })).toBeTruthy();
  });

  it('signs in with a password, showing wrong-password and rate-limit messages, without Create account while signup is closed', async () => {
    let login = apiError(401, 'invalid_credentials', 'Wrong username or password.');
    let me = signedOut;
    const fetch = start({
      'GET /api/auth/config': [200, LOCAL],
      'POST /api/auth/login': () => login,
      'GET /api/me': () => me,
    });
    const form = await screen.findByRole('form', { name: 'Sign in' });
    expect(screen.queryByRole('button', { name: 'Create account' })).toBeNull();

    fill(form, 'ada', 'wrong password');
    fireEvent.click(within(form).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toBe('Wrong username or password.'));
    expect(screen.getByRole('form', { name: 'Sign in' })).toBe(form);

    login = apiError(429, 'rate_limited', 'Too many failed sign-ins for this name: try again later.');
    fireEvent.click(within(form).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toBe('Too many failed sign-ins for this name: try again later.'));

    login = [200, { user: ada.user }];
    me = [200, ada];
    fill(form, 'ada', 'the right one');
    fireEvent.click(within(form).getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('button', { name: 'Sign out' });
    expect(fetch.requests('POST', '/api/auth/login').at(-1)).toEqual({ username: 'ada', password: 'the right one' });
    expect(screen.getByText('ada')).toBeTruthy();
    expect(screen.getByText('Today: 3 replies · 1,234 tokens')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Tokens' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Users' })).toBeNull();
    expect(screen.getByRole('button', { name: 'New chat' })).toBeTruthy();
  });

  it('offers Create account while signup is open', async () => {
    const fetch = start({
      'GET /api/auth/config': [200, { ...LOCAL, signup: 'open' }],
      'GET /api/me': () => (fetch.requests('POST', '/api/auth/signup').length ? [200, ada] : signedOut),
      'POST /api/auth/signup': [201, { user: ada.user }],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Create account' }));
    fireEvent.click(screen.getByRole('button', { name: 'Back to sign in' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create account' }));
    const form = screen.getByRole('form', { name: 'Create account' });
    fill(form, 'ada', 'a fine password');
    fireEvent.click(within(form).getByRole('button', { name: 'Create account' }));
    await screen.findByRole('button', { name: 'Sign out' });
    expect(fetch.requests('POST', '/api/auth/signup')).toEqual([{ username: 'ada', password: 'a fine password' }]);
  });

  it('in oidc mode signs in with one button that goes to the provider, and signs out there too', async () => {
    let me = signedOut;
    start({
      'GET /api/auth/config': [200, { mode: 'oidc', signup: 'closed', needsSetup: false }],
      'GET /api/me': () => me,
      'POST /api/auth/logout': [200, { endSessionUrl: 'https://id.example/logout?client_id=parley' }],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(navigateTo).toHaveBeenCalledWith('/auth/login');
    expect(screen.queryByLabelText('Password')).toBeNull();

    cleanup();
    me = [200, ada];
    start({
      'GET /api/auth/config': [200, { mode: 'oidc', signup: 'closed', needsSetup: false }],
      'GET /api/me': () => me,
      'POST /api/auth/logout': [200, { endSessionUrl: 'https://id.example/logout?client_id=parley' }],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(navigateTo).toHaveBeenCalledWith('https://id.example/logout?client_id=parley'));
  });

  it('signs out to the sign-in page', async () => {
    const fetch = start({
      'GET /api/auth/config': [200, LOCAL],
      'GET /api/me': [200, ada],
      'POST /api/auth/logout': [204],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    await screen.findByRole('form', { name: 'Sign in' });
    expect(fetch.requests('POST', '/api/auth/logout')).toHaveLength(1);
    expect(navigateTo).not.toHaveBeenCalled();
  });

  it('sends a signed-in person back to sign-in when any call answers 401 unauthenticated', async () => {
    start({
      'GET /api/auth/config': [200, LOCAL],
      'GET /api/me': [200, ada],
      'GET /api/tokens': signedOut,
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Tokens' }));
    await screen.findByRole('form', { name: 'Sign in' });
    expect(screen.getByRole('status').textContent).toMatch(/session has ended/);
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  });

  it('keeps each account its own windows, and keeps them while another page shows', async () => {
    localStorage.setItem('parley.windows', JSON.stringify(['chat-local1']));
    localStorage.setItem('parley.windows.u1', JSON.stringify(['chat-ada1', 'chat-ada2']));
    start({
      'GET /api/auth/config': [200, LOCAL],
      'GET /api/me': [200, ada],
      'GET /api/tokens': [200, []],
    });
    await screen.findByRole('button', { name: 'Sign out' });
    const windows = () => document.querySelectorAll('section[data-chat-id]');
    expect([...windows()].map((w) => w.dataset.chatId)).toEqual(['chat-ada1', 'chat-ada2']);
    fireEvent.click(screen.getByRole('button', { name: 'Tokens' }));
    await screen.findByRole('heading', { name: 'API tokens' });
    expect(screen.queryByRole('button', { name: 'New chat' })).toBeNull();
    expect(windows()).toHaveLength(2);
    expect(screen.queryAllByRole('region', { name: /^Chat / })).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Chats' }));
    expect(screen.getAllByRole('region', { name: /^Chat / })).toHaveLength(2);
  });
});
