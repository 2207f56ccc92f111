import { useState } from 'react';
import { ImportButton } from './Transfer.jsx';

const toggleButton = 'rounded px-1.5 py-0.5 text-xs text-slate-500 hover:bg-slate-200 hover:text-slate-800';

// The "Past chats" button and its drop-down list: pinned chats first, archived ones apart at the
// end; picking a chat opens it in a window, Pin and Archive change it, .md and .json export it;
// Import chats… at the top makes new chats from a file.
export default function PastChats({ chats, onOpen, onRefresh, onChange, onExport, onImport }) {
  const [open, setOpen] = useState(false);
  const current = chats.filter((chat) => !chat.archived);
  const archived = chats.filter((chat) => chat.archived);

  function toggle() {
    if (!open) onRefresh();
    setOpen(!open);
  }

  function item(chat) {
    const name = chat.title || chat.chatId;
    return (
      <li key={chat.chatId} className="flex items-center gap-1 pr-2" data-chat={chat.chatId}>
        <button
          type="button"
          onClick={() => {
            onOpen(chat.chatId);
            setOpen(false);
          }}
          className="flex min-w-0 flex-1 flex-col px-3 py-1.5 text-left hover:bg-slate-50"
        >
          <span className="truncate text-sm text-slate-800">
            {chat.pinned && <span aria-label="pinned">📌 </span>}
            {name}
          </span>
          <span className="text-xs text-slate-400">
            {chat.messageCount} messages · {new Date(chat.updatedAt).toLocaleString()}
          </span>
        </button>
        {onChange && (
          <>
            <button type="button" className={toggleButton} aria-label={`${chat.pinned ? 'Unpin' : 'Pin'} ${name}`} onClick={() => onChange(chat.chatId, { pinned: !chat.pinned })}>
              {chat.pinned ? 'Unpin' : 'Pin'}
            </button>
            <button
              type="button"
              className={toggleButton}
              aria-label={`${chat.archived ? 'Unarchive' : 'Archive'} ${name}`}
              onClick={() => onChange(chat.chatId, { archived: !chat.archived })}
            >
              {chat.archived ? 'Unarchive' : 'Archive'}
            </button>
          </>
        )}
        {onExport && (
          <>
            <button type="button" className={toggleButton} aria-label={`Export ${name} as Markdown`} onClick={() => onExport(chat.chatId, 'md', chat.title)}>
              .md
            </button>
            <button type="button" className={toggleButton} aria-label={`Export ${name} as JSON`} onClick={() => onExport(chat.chatId, 'json', chat.title)}>
              .json
            </button>
          </>
        )}
      </li>
    );
  }

  return (
    <div className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="past-chats"
        onClick={toggle}
        className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
      >
        Past chats
      </button>
      {open && (
        <div id="past-chats" className="absolute right-0 z-20 mt-1 max-h-96 w-[28rem] overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg">
          {onImport && (
            <div className="flex items-center justify-between border-b border-slate-100 px-3 pb-1">
              <span className="text-xs text-slate-400">Parley JSON or ChatGPT conversations.json</span>
              <ImportButton
                className="rounded px-1.5 py-0.5 text-xs text-sky-700 hover:bg-sky-50"
                onImport={(file) => {
                  setOpen(false);
                  onImport(file);
                }}
              />
            </div>
          )}
          <ul aria-label="Past chats">
            {current.length === 0 && <li className="px-3 py-2 text-sm text-slate-400">No chats yet.</li>}
            {current.map(item)}
          </ul>
          {archived.length > 0 && (
            <>
              <p className="border-t border-slate-100 px-3 pt-2 text-xs font-semibold uppercase text-slate-400">Archived</p>
              <ul aria-label="Archived chats">{archived.map(item)}</ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
