import { useState } from 'react';
import { secondaryButton } from './ui.jsx';
import { usageDetail, usageSummary } from './usage.js';

// The signed-in person's name, today's usage, and Sign out.
export default function AccountMenu({ me, onSignOut }) {
  const [error, setError] = useState(null);
  const [pending, setPending] = useState(false);
  const today = me.usage?.today;

  async function signOut() {
    setError(null);
    setPending(true);
    try {
      await onSignOut();
    } catch (failure) {
      setError(failure.message);
      setPending(false);
    }
  }

  return (
    <div className="flex items-center gap-3">
      <div className="text-right leading-tight">
        <p className="text-sm font-medium text-slate-800" data-username={me.user.username}>
          {me.user.username}
          {me.user.role === 'admin' && <span className="ml-1 text-xs font-normal text-slate-500">(admin)</span>}
        </p>
        {today && (
          <p className="text-xs text-slate-500" title={usageDetail(today)}>
            Today: {usageSummary(today)}
          </p>
        )}
      </div>
      <button type="button" onClick={signOut} disabled={pending} className={secondaryButton}>
        Sign out
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
