import { useId } from 'react';

// Small shared pieces of the account pages, in the look of the chat windows.
export const primaryButton =
  'rounded-lg bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-500 disabled:cursor-not-allowed disabled:bg-slate-300';
export const secondaryButton =
  'rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60';
export const dangerButton =
  'rounded-lg bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-500 disabled:cursor-not-allowed disabled:bg-slate-300';
export const inputClass =
  'w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm focus:border-sky-500 focus:outline-none';

// A labelled input, with an optional hint read out with it.
export function Field({ label, hint, className = '', ...input }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input id={id} aria-describedby={hint ? hintId : undefined} className={inputClass} {...input} />
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}

export function ErrorMessage({ message }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}

// A table of records, named for screen readers; its last column, titled only for them, holds each
// row's actions. The rows are the children.
export function RecordTable({ label, columns, children }) {
  return (
    <table aria-label={label} className="w-full text-left text-sm">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          {columns.map((column) => (
            <th key={column} className="py-1">
              {column}
            </th>
          ))}
          <th className="py-1">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">{children}</tbody>
    </table>
  );
}

export function formatDate(iso) {
  return iso ? new Date(iso).toLocaleString() : 'Never';
}
