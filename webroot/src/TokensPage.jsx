import { useState } from 'react';
import * as api from './api.js';
import { ErrorMessage, Field, formatDate, inputClass, primaryButton, RecordTable, secondaryButton } from './ui.jsx';
import { useList } from './useList.js';

// Personal API tokens: made here, their secret shown once, listed and revoked.
export default function TokensPage() {
  const { items: tokens, error: listError, reload } = useList(api.listTokens);
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);

  async function create(name) {
    setError(null);
    try {
      setCreated(await api.createToken(name));
      reload();
      return true;
    } catch (failure) {
      setError(failure.message);
      return false;
    }
  }

  async function revoke(token) {
    setError(null);
    try {
      await api.revokeToken(token.id);
      if (created?.id === token.id) setCreated(null);
      reload();
    } catch (failure) {
      setError(failure.message);
    }
  }

  return (
    <main className="mx-auto max-w-3xl space-y-4 p-4">
      <section aria-labelledby="tokens-heading" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="tokens-heading" className="text-base font-semibold text-slate-900">
          API tokens
        </h2>
        <p className="text-sm text-slate-600">
          A token lets a script or another service use Parley as you: it sends <code>Authorization: Bearer &lt;token&gt;</code>.
        </p>
        <NewTokenForm onCreate={create} />
        {created && <NewTokenSecret token={created} onDone={() => setCreated(null)} />}
        <ErrorMessage message={error ?? listError} />
        <TokenTable tokens={tokens} onRevoke={revoke} />
      </section>
    </main>
  );
}

function NewTokenForm({ onCreate }) {
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);

  async function submit(event) {
    event.preventDefault();
    if (!name.trim()) return;
    setPending(true);
    if (await onCreate(name.trim())) setName('');
    setPending(false);
  }

  return (
    <form aria-label="Create token" onSubmit={submit} className="flex items-end gap-2">
      <Field label="Token name" className="flex-1" placeholder="e.g. nightly report script" value={name} onChange={(event) => setName(event.target.value)} />
      <button type="submit" disabled={pending || !name.trim()} className={primaryButton}>
        Create token
      </button>
    </form>
  );
}

// The secret exists only in this answer: shown once, with a Copy button.
function NewTokenSecret({ token, onDone }) {
  const [copied, setCopied] = useState(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('Copied.');
    } catch {
      setCopied('The browser did not allow copying: select the token and copy it by hand.');
    }
  }

  return (
    <section aria-label="New token" className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3">
      <p className="text-sm text-emerald-900">
        Token <strong>{token.name}</strong> is ready. Copy it now: Parley will not show it again.
      </p>
      <div className="flex gap-2">
        <input readOnly aria-label="Token secret" value={token.token} onFocus={(event) => event.target.select()} className={`${inputClass} font-mono`} />
        <button type="button" onClick={copy} className={primaryButton}>
          Copy token
        </button>
        <button type="button" onClick={onDone} className={secondaryButton}>
          Done
        </button>
      </div>
      {copied && (
        <p role="status" className="text-xs text-emerald-800">
          {copied}
        </p>
      )}
    </section>
  );
}

function TokenTable({ tokens, onRevoke }) {
  if (tokens === null) return <p className="text-sm text-slate-400">Loading tokens…</p>;
  if (tokens.length === 0) return <p className="text-sm text-slate-500">No tokens yet.</p>;
  return (
    <RecordTable label="Your tokens" columns={['Name', 'Created', 'Last used']}>
      {tokens.map((token) => (
        <tr key={token.id} data-token-id={token.id}>
          <td className="py-1.5 font-medium text-slate-800">{token.name}</td>
          <td className="py-1.5 text-slate-600">{formatDate(token.createdAt)}</td>
          <td className="py-1.5 text-slate-600">{formatDate(token.lastUsedAt)}</td>
          <td className="py-1.5 text-right">
            <button type="button" onClick={() => onRevoke(token)} aria-label={`Revoke token ${token.name}`} className={secondaryButton}>
              Revoke
            </button>
          </td>
        </tr>
      ))}
    </RecordTable>
  );
}
