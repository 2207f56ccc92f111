const LABELS = { chats: 'Chats', tokens: 'Tokens', users: 'Users' };

// The signed-in app's pages; the current one is marked for assistive technology too.
export default function NavTabs({ pages, page, onNavigate }) {
  return (
    <nav aria-label="Pages" className="flex gap-1">
      {pages.map((name) => (
        <button
          key={name}
          type="button"
          aria-current={name === page ? 'page' : undefined}
          onClick={() => onNavigate(name)}
          className={`rounded-lg px-3 py-1.5 text-sm ${name === page ? 'bg-slate-200 font-medium text-slate-900' : 'text-slate-600 hover:bg-slate-100'}`}
        >
          {LABELS[name]}
        </button>
      ))}
    </nav>
  );
}
