import { useEffect, useRef } from 'react';

// A panel over the page: Esc or a click beside it closes it, and the focus goes back where it was.
export default function Dialog({ label, onClose, children, className = 'w-full max-w-xl' }) {
  const returnFocus = useRef(typeof document === 'undefined' ? null : document.activeElement);
  useEffect(() => () => returnFocus.current?.focus?.(), []);

  function onKeyDown(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  }

  return (
    <div
      className="fixed inset-0 z-30 flex items-start justify-center bg-slate-900/30 px-4 pt-[12vh]"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div role="dialog" aria-modal="true" aria-label={label} onKeyDown={onKeyDown} className={`rounded-xl border border-slate-200 bg-white shadow-xl ${className}`}>
        {children}
      </div>
    </div>
  );
}

// A key as the help panel and the search box's hints show it.
export function Key({ children }) {
  return <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-700">{children}</kbd>;
}
