import { useId, useState } from 'react';
import * as api from './api.js';
import { credentialsProblem, normalizeUsername, PASSWORD_RULE, USERNAME_RULE } from './accounts.js';
import { dangerButton, ErrorMessage, Field, formatDate, inputClass, primaryButton, RecordTable, secondaryButton } from './ui.jsx';
import { usageDetail, usageSummary } from './usage.js';
import { useList } from './useList.js';

// Admins: every account with its usage; make one, delete one (after saying yes twice). With an
// identity provider (oidc) accounts are made by signing in there, so there is nothing to make here.
export default function UsersPage({ me, accountsFromProvider = false }) {
  const { items: users, error: listError, reload } = useList(api.listUsers);
  const [error, setError] = useState(null);

  async function remove(user) {
    setError(null);
    try {
      await api.deleteUser(user.id);
    } catch (failure) {
      setError(failure.message);
    }
    reload();
  }

  return (
    <main className="mx-auto max-w-5xl space-y-4 p-4">
      <section aria-labelledby="users-heading" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="users-heading" className="text-base font-semibold text-slate-900">
          Users
        </h2>
        {accountsFromProvider ? (
          <p className="text-sm text-slate-600">Accounts come from your identity provider: each person gets one the first time they sign in.</p>
        ) : (
          <NewUserForm onCreated={reload} />
        )}
        <ErrorMessage message={error ?? listError} />
        <UserTable users={users} myId={me.user.id} onDelete={remove} />
      </section>
    </main>
  );
}

function NewUserForm({ onCreated }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('user');
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const [pending, setPending] = useState(false);
  const roleId = useId();

  async function submit(event) {
    event.preventDefault();
    const account = { username: normalizeUsername(username), password, role };
    const problem = credentialsProblem(account);
    setDone(null);
    setError(problem);
    if (problem) return;
    setPending(true);
    try {
      const { user } = await api.createUser(account);
      setUsername('');
      setPassword('');
      setRole('user');
      setDone(`Created ${user?.username ?? account.username}.`);
      onCreated();
    } catch (failure) {
      setError(failure.message);
    }
    setPending(false);
  }

  return (
    <form aria-label="Create user" onSubmit={submit} noValidate className="space-y-2 rounded-lg border border-slate-200 p-3">
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-[1fr_1fr_auto_auto] sm:items-start">
        <Field label="Username" title={USERNAME_RULE} autoComplete="off" autoCapitalize="none" spellCheck={false} value={username} onChange={(event) => setUsername(event.target.value)} />
        <Field label="Password" title={PASSWORD_RULE} type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} />
        <div>
          <label htmlFor={roleId} className="mb-1 block text-sm font-medium text-slate-700">
            Role
          </label>
          <select id={roleId} value={role} onChange={(event) => setRole(event.target.value)} className={inputClass}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button type="submit" disabled={pending} className={`${primaryButton} sm:mt-6`}>
          Create user
        </button>
      </div>
      <ErrorMessage message={error} />
      {done && (
        <p role="status" className="text-sm text-emerald-800">
          {done}
        </p>
      )}
    </form>
  );
}

function UserTable({ users, myId, onDelete }) {
  if (users === null) return <p className="text-sm text-slate-400">Loading users…</p>;
  return (
    <RecordTable label="Users" columns={['Username', 'Role', 'Created', 'Today', 'This month']}>
      {users.map((user) => (
        <UserRow key={user.id} user={user} isMe={user.id === myId} onDelete={onDelete} />
      ))}
    </RecordTable>
  );
}

function UserRow({ user, isMe, onDelete }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);

  async function confirm() {
    setPending(true);
    await onDelete(user);
    setPending(false);
    setConfirming(false);
  }

  return (
    <tr data-user-id={user.id}>
      <td className="py-1.5 font-medium text-slate-800">
        {user.username}
        {isMe && <span className="ml-1 text-xs font-normal text-slate-500">(you)</span>}
      </td>
      <td className="py-1.5 text-slate-600">{user.role}</td>
      <td className="py-1.5 text-slate-600">{formatDate(user.createdAt)}</td>
      <td className="py-1.5 text-slate-600" title={usageDetail(user.usage?.today)}>
        {usageSummary(user.usage?.today)}
      </td>
      <td className="py-1.5 text-slate-600" title={usageDetail(user.usage?.month)}>
        {usageSummary(user.usage?.month)}
      </td>
      <td className="py-1.5 text-right">
        {!isMe && !confirming && (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete user ${user.username}`} className={secondaryButton}>
            Delete
          </button>
        )}
        {confirming && (
          <span className="inline-flex items-center gap-2">
            <span className="text-xs text-red-800">Delete {user.username} and all their chats?</span>
            <button type="button" onClick={confirm} disabled={pending} aria-label={`Confirm delete user ${user.username}`} className={dangerButton}>
              Delete
            </button>
            <button type="button" onClick={() => setConfirming(false)} aria-label={`Cancel delete user ${user.username}`} className={secondaryButton}>
              Cancel
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}
