import { describe, expect, it } from 'vitest';
import { initialSession, isAdmin, pages, SESSION_ENDED, sessionReducer, signupOpen } from './session.js';

const run = (...actions) => actions.reduce(sessionReducer, initialSession);
const me = (role = 'user') => ({ user: { id: 'u1', username: 'ada', role }, usage: null });

describe('session state', () => {
  it('is the open app, with no sign-in, in mode none or when the mode is unknown', () => {
    expect(run({ type: 'configLoaded', config: { mode: 'none', signup: 'closed', needsSetup: false } }).phase).toBe('open');
    expect(run({ type: 'configLoaded', config: { mode: 'none' } }).phase).toBe('open');
    expect(run({ type: 'configLoaded', config: {} }).phase).toBe('open');
  });

  it('asks for the first admin in local mode while no account exists, and only there', () => {
    expect(run({ type: 'configLoaded', config: { mode: 'local', signup: 'closed', needsSetup: true } }).phase).toBe('setup');
    expect(run({ type: 'configLoaded', config: { mode: 'local', signup: 'closed', needsSetup: false } }).phase).toBe('checking');
    expect(run({ type: 'configLoaded', config: { mode: 'oidc', signup: 'closed', needsSetup: true } }).phase).toBe('checking');
  });

  it('offers sign-up only in local mode with signup open', () => {
    const open = run({ type: 'configLoaded', config: { mode: 'local', signup: 'open', needsSetup: false } }, { type: 'signedOut' });
    expect(signupOpen(open)).toBe(true);
    expect(pages(open)).toEqual(['signin', 'signup']);
    expect(sessionReducer(open, { type: 'navigate', page: 'signup' }).page).toBe('signup');
    const closed = run({ type: 'configLoaded', config: { mode: 'local', signup: 'closed', needsSetup: false } }, { type: 'signedOut' });
    expect(signupOpen(closed)).toBe(false);
    expect(sessionReducer(closed, { type: 'navigate', page: 'signup' }).page).toBe('signin');
    const oidc = run({ type: 'configLoaded', config: { mode: 'oidc', signup: 'open', needsSetup: false } }, { type: 'signedOut' });
    expect(signupOpen(oidc)).toBe(false);
  });

  it('shows the Users page to admins only', () => {
    const local = { type: 'configLoaded', config: { mode: 'local', signup: 'closed', needsSetup: false } };
    const user = run(local, { type: 'signedIn', me: me('user') });
    expect(isAdmin(user)).toBe(false);
    expect(pages(user)).toEqual(['chats', 'tokens']);
    expect(sessionReducer(user, { type: 'navigate', page: 'users' }).page).toBe('chats');
    const admin = run(local, { type: 'signedIn', me: me('admin') });
    expect(isAdmin(admin)).toBe(true);
    expect(sessionReducer(admin, { type: 'navigate', page: 'users' }).page).toBe('users');
  });

  it('sends a signed-in person back to sign-in when the session is lost, and ignores a 401 otherwise', () => {
    const local = { type: 'configLoaded', config: { mode: 'local', signup: 'closed', needsSetup: false } };
    const lost = run(local, { type: 'signedIn', me: me() }, { type: 'navigate', page: 'tokens' }, { type: 'sessionLost' });
    expect(lost.phase).toBe('signedOut');
    expect(lost.page).toBe('signin');
    expect(lost.me).toBeNull();
    expect(lost.notice).toBe(SESSION_ENDED);
    const signingIn = run(local, { type: 'signedOut' });
    expect(sessionReducer(signingIn, { type: 'sessionLost' })).toBe(signingIn);
  });

  it('keeps usage fresh only while signed in, and starts again on retry', () => {
    const local = { type: 'configLoaded', config: { mode: 'local', signup: 'closed', needsSetup: false } };
    const fresh = { ...me(), usage: { today: { replies: 2 } } };
    expect(run(local, { type: 'signedIn', me: me() }, { type: 'meLoaded', me: fresh }).me).toBe(fresh);
    expect(run(local, { type: 'signedOut' }, { type: 'meLoaded', me: fresh }).me).toBeNull();
    const failed = run({ type: 'configFailed', error: 'Cannot reach Parley' });
    expect(failed.phase).toBe('unreachable');
    expect(sessionReducer(failed, { type: 'retry' })).toEqual(initialSession);
  });
});
