import { useState } from 'react';
import { credentialsProblem, normalizeUsername, PASSWORD_RULE, USERNAME_RULE } from './accounts.js';
import { ErrorMessage, Field, primaryButton } from './ui.jsx';

// Username and password, for signing in (newAccount false) or making an account (rules checked
// first, and shown as hints). onSubmit rejects with the server's message, shown in the form.
export default function CredentialsForm({ label, submitLabel, onSubmit, newAccount = false }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [pending, setPending] = useState(false);

  async function submit(event) {
    event.preventDefault();
    const credentials = { username: normalizeUsername(username), password };
    const problem = !credentials.username || !password ? 'Enter a username and a password.' : newAccount ? credentialsProblem(credentials) : null;
    if (problem) {
      setError(problem);
      return;
    }
    setError(null);
    setPending(true);
    try {
      await onSubmit(credentials);
    } catch (failure) {
      setError(failure.message);
      setPending(false);
    }
  }

  return (
    <form aria-label={label} onSubmit={submit} noValidate className="mt-4 space-y-3">
      <Field
        label="Username"
        hint={newAccount ? USERNAME_RULE : undefined}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
      />
      <Field
        label="Password"
        hint={newAccount ? PASSWORD_RULE : undefined}
        type="password"
        name="password"
        autoComplete={newAccount ? 'new-password' : 'current-password'}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <ErrorMessage message={error} />
      <button type="submit" disabled={pending} className={`${primaryButton} w-full`}>
        {submitLabel}
      </button>
    </form>
  );
}
