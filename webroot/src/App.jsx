import { ProviderSignInPage, SetupPage, SignInPage, SignUpPage, StartingPage, UnreachablePage } from './AuthPages.jsx';
import Workspace from './Workspace.jsx';
import { mode, pages, signupOpen } from './session.js';
import { useSession } from './useSession.js';

// Which page shows follows from the session (docs/API.md, "Identity and access").
export default function App() {
  const { session, signIn, signUp, signOut, refreshMe, navigate, retry, signInWithProvider } = useSession();

  switch (session.phase) {
    case 'open':
      return <Workspace me={null} />;
    case 'signedIn':
      return (
        <Workspace
          me={session.me}
          page={session.page}
          pages={pages(session)}
          onNavigate={navigate}
          onSignOut={signOut}
          onReplyEnded={refreshMe}
          accountsFromProvider={mode(session) === 'oidc'}
        />
      );
    case 'setup':
      return <SetupPage onSignUp={signUp} />;
    case 'signedOut':
      if (mode(session) === 'oidc') return <ProviderSignInPage notice={session.notice} onSignIn={signInWithProvider} />;
      if (session.page === 'signup') return <SignUpPage onSignUp={signUp} onShowSignIn={() => navigate('signin')} />;
      return <SignInPage notice={session.notice} signupOpen={signupOpen(session)} onSignIn={signIn} onShowSignUp={() => navigate('signup')} />;
    case 'unreachable':
      return <UnreachablePage error={session.error} onRetry={retry} />;
    default:
      return <StartingPage />;
  }
}
