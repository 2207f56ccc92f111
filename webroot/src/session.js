// Who is using the app and which page they see, as a pure reducer (no router: a view switch).
//
//   starting ──configLoaded──▶ open (mode none: no accounts, the app as it always was)
//                            ▶ setup (mode local, no account yet: create the admin)
//                            ▶ checking (GET /api/me) ──signedIn──▶ signedIn
//                                                     ──signedOut──▶ signedOut
//   starting ──configFailed──▶ unreachable ──retry──▶ starting
//   setup | signedOut ──signedIn──▶ signedIn ──signedOut | sessionLost──▶ signedOut
//
// page: 'signin' or 'signup' while signed out; 'chats', 'tokens' or 'users' (admins) when in.

export const initialSession = {
  phase: 'starting',
  config: null,
  me: null,
  page: 'chats',
  notice: null,
  error: null,
};

export const SESSION_ENDED = 'Your session has ended. Please sign in again.';

export const mode = (session) => session.config?.mode ?? 'none';
export const isAdmin = (session) => session.phase === 'signedIn' && session.me?.user?.role === 'admin';
export const signupOpen = (session) => mode(session) === 'local' && session.config?.signup === 'open';

export function pages(session) {
  if (session.phase === 'signedIn') return isAdmin(session) ? ['chats', 'tokens', 'users'] : ['chats', 'tokens'];
  if (session.phase === 'signedOut') return signupOpen(session) ? ['signin', 'signup'] : ['signin'];
  return [];
}

function configLoaded(state, config) {
  const known = config?.mode === 'local' || config?.mode === 'oidc';
  if (!known) return { ...state, config: { mode: 'none', signup: 'closed', needsSetup: false }, phase: 'open', page: 'chats' };
  const phase = config.mode === 'local' && config.needsSetup ? 'setup' : 'checking';
  return { ...state, config, phase, error: null };
}

export function sessionReducer(state, action) {
  switch (action.type) {
    case 'configLoaded':
      return configLoaded(state, action.config);
    case 'configFailed':
      return { ...state, phase: 'unreachable', error: action.error };
    case 'retry':
      return { ...initialSession };
    case 'signedIn':
      return { ...state, phase: 'signedIn', me: action.me, page: 'chats', notice: null, error: null };
    case 'signedOut':
      return { ...state, phase: 'signedOut', me: null, page: 'signin', notice: action.notice ?? null, error: null };
    case 'sessionLost':
      // Only a session that was there can end; a 401 while signing in is the form's business.
      return state.phase === 'signedIn' ? sessionReducer(state, { type: 'signedOut', notice: SESSION_ENDED }) : state;
    case 'meLoaded':
      return state.phase === 'signedIn' ? { ...state, me: action.me } : state;
    case 'navigate':
      return pages(state).includes(action.page) ? { ...state, page: action.page, notice: null } : state;
    default:
      throw new Error(`unknown action ${action.type}`);
  }
}
