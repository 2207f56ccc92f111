import { useEffect, useRef, useState } from 'react';
import { ImportButton } from './Transfer.jsx';

const item = 'block w-full px-3 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-300';

// A window's menu: the chat as a Markdown or JSON file, and importing files as new chats.
// Export waits for the chat to exist (a message sent).
export default function ChatMenu({ canExport, onExport, onImport }) {
  const [open, setOpen] = useState(false);
  const menu = useRef(null);

  useEffect(() => {
    if (!open) return undefined;
    const close = (event) => {
      if (!menu.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const choose = (action) => () => {
    setOpen(false);
    action();
  };

  return (
    <div ref={menu} className="relative">
      <button
        type="button"
        aria-label="Chat menu"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="rounded px-1.5 py-0.5 text-sm text-slate-600 hover:bg-slate-100"
      >
        ⋯
      </button>
      {open && (
        <div
          role="menu"
          aria-label="Chat menu"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              setOpen(false);
            }
          }}
          className="absolute right-0 z-20 mt-1 w-48 rounded-lg border border-slate-200 bg-white py-1 shadow-lg"
        >
          <button type="button" role="menuitem" autoFocus className={item} disabled={!canExport} onClick={choose(() => onExport('md'))}>
            Export Markdown
          </button>
          <button type="button" role="menuitem" className={item} disabled={!canExport} onClick={choose(() => onExport('json'))}>
            Export JSON
          </button>
          <ImportButton role="menuitem" className={item} onImport={(file) => {
            setOpen(false);
            onImport(file);
          }} />
        </div>
      )}
    </div>
  );
}
