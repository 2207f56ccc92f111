import CredentialsForm from './CredentialsForm.jsx';
import { primaryButton, secondaryButton } from './ui.jsx';

// The pages shown before anyone is signed in.
function AuthLayout({ title, notice, children }) {
  return (
    <div className="flex min-h-screen items-center justify-center p-4">
      <main className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-lg font-bold text-slate-900">Parley</h1>
        <h2 className="mt-1 text-base font-semibold text-slate-700">{title}</h2>
        {notice && (
          <p role="status" className="mt-3 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {notice}
          </p>
        )}
        {children}
      </main>
    </div>
  );
}

// First run of a local-accounts Parley: the first account is its administrator.
export function SetupPage({ onSignUp }) {
  return (
    <AuthLayout title="Set up Parley">
      <p className="mt-2 text-sm text-slate-600">No account exists yet. The one you create now is the administrator.</p>
      <CredentialsForm label="Create the admin account" submitLabel="Create admin account" onSubmit={onSignUp} newAccount />
    </AuthLayout>
  );
}

export function SignInPage({ notice, signupOpen, onSignIn, onShowSignUp }) {
  return (
    <AuthLayout title="Sign in" notice={notice}>
      <CredentialsForm label="Sign in" submitLabel="Sign in" onSubmit={onSignIn} />
      {signupOpen && (
        <p className="mt-4 flex items-center justify-between text-sm text-slate-600">
          No account yet?
          <button type="button" onClick={onShowSignUp} className={secondaryButton}>
            Create account
          </button>
        </p>
      )}
    </AuthLayout>
  );
}

export function SignUpPage({ onSignUp, onShowSignIn }) {
  return (
    <AuthLayout title="Create account">
      <CredentialsForm label="Create account" submitLabel="Create account" onSubmit={onSignUp} newAccount />
      <p className="mt-4 flex items-center justify-between text-sm text-slate-600">
        Have an account?
        <button type="button" onClick={onShowSignIn} className={secondaryButton}>
          Back to sign in
        </button>
      </p>
    </AuthLayout>
  );
}

// oidc mode: the provider asks for the password, on its own page.
export function ProviderSignInPage({ notice, onSignIn }) {
  return (
    <AuthLayout title="Sign in" notice={notice}>
      <p className="mt-2 text-sm text-slate-600">Parley signs you in through your organisation&apos;s account.</p>
      <button type="button" onClick={onSignIn} className={`${primaryButton} mt-4 w-full`}>
        Sign in
      </button>
    </AuthLayout>
  );
}

export function StartingPage() {
  return (
    <p role="status" className="py-16 text-center text-sm text-slate-400">
      Loading…
    </p>
  );
}

export function UnreachablePage({ error, onRetry }) {
  return (
    <AuthLayout title="Parley cannot be reached">
      <p role="alert" className="mt-3 text-sm text-red-800">
        {error}
      </p>
      <button type="button" onClick={onRetry} className={`${primaryButton} mt-4`}>
        Try again
      </button>
    </AuthLayout>
  );
}
