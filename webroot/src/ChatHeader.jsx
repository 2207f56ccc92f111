import { useState } from 'react';

// A window's title (click to rename: Enter keeps, Esc leaves it) and its model picker.
export function WindowTitle({ title, onRename }) {
  const [draft, setDraft] = useState(null);
  if (draft !== null) {
    return (
      <input
        aria-label="Chat title"
        autoFocus
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => setDraft(null)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setDraft(null);
          if (event.key === 'Enter' && draft.trim()) {
            onRename(draft.trim());
            setDraft(null);
          }
        }}
        className="min-w-0 flex-1 rounded border border-sky-400 px-1 text-sm font-semibold focus:outline-none"
      />
    );
  }
  return (
    <h2 className="min-w-0 flex-1 truncate text-sm font-semibold text-slate-800" title={`${title} (click to rename)`}>
      <button type="button" className="max-w-full truncate text-left hover:underline" aria-label={`Rename ${title}`} onClick={() => setDraft(title)}>
        {title}
      </button>
    </h2>
  );
}

// The models of every provider; one that cannot be reached now is shown but not offered.
export function ModelPicker({ models, value, onChange, disabled }) {
  return (
    <select
      aria-label="Model"
      value={value ?? ''}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value)}
      className="max-w-40 truncate rounded border border-slate-300 bg-white px-1 py-0.5 text-xs text-slate-700"
    >
      {models.map((model) => (
        <option key={model.id} value={model.id} disabled={!model.available || !model.name}>
          {model.name ? model.id : model.provider}
          {model.available ? '' : ' (unavailable)'}
        </option>
      ))}
    </select>
  );
}
