import { useCallback, useEffect, useReducer } from 'react';
import * as api from './api.js';
import { navigateTo } from './navigation.js';
import { initialSession, sessionReducer } from './session.js';

// The session's effects: reads the auth config, then who is signed in, and offers the actions
// that change it. Every API call that answers 401 unauthenticated ends a signed-in session.
export function useSession() {
  const [session, dispatch] = useReducer(sessionReducer, initialSession);

  useEffect(() => api.onUnauthenticated(() => dispatch({ type: 'sessionLost' })), []);

  useEffect(() => {
    let active = true;
    const guard = (action) => active && dispatch(action);
    if (session.phase === 'starting') {
      api.authConfig().then(
        (config) => guard({ type: 'configLoaded', config }),
        // A Parley from before accounts existed has no such route: it is the one-user app.
        (error) => guard(error.status === 404 ? { type: 'configLoaded', config: { mode: 'none' } } : { type: 'configFailed', error: error.message }),
      );
    } else if (session.phase === 'checking') {
      api.me().then(
        (me) => guard({ type: 'signedIn', me }),
        (error) => guard(error.status === 401 ? { type: 'signedOut' } : { type: 'configFailed', error: error.message }),
      );
    }
    return () => {
      active = false;
    };
  }, [session.phase]);

  // Sign-up and sign-in answer {user}; /api/me adds the usage the header shows.
  const enter = useCallback(async (request) => {
    await request;
    dispatch({ type: 'signedIn', me: await api.me() });
  }, []);

  const signIn = useCallback((credentials) => enter(api.signIn(credentials)), [enter]);
  const signUp = useCallback((credentials) => enter(api.signUp(credentials)), [enter]);

  const signOut = useCallback(async () => {
    try {
      const answer = await api.signOut();
      // In oidc mode the provider's session ends too, on its own page.
      if (answer?.endSessionUrl) navigateTo(answer.endSessionUrl);
    } catch (error) {
      if (error.status !== 401) throw error;
    }
    dispatch({ type: 'signedOut' });
  }, []);

  const refreshMe = useCallback(() => {
    api.me().then(
      (me) => dispatch({ type: 'meLoaded', me }),
      () => {}, // a 401 ends the session through onUnauthenticated; anything else can wait
    );
  }, []);

  const navigate = useCallback((page) => dispatch({ type: 'navigate', page }), []);
  const retry = useCallback(() => dispatch({ type: 'retry' }), []);
  const signInWithProvider = useCallback(() => navigateTo(api.OIDC_LOGIN_URL), []);

  return { session, signIn, signUp, signOut, refreshMe, navigate, retry, signInWithProvider };
}
