import { useState } from 'react';

// The "Past chats" button and its drop-down list; picking a chat opens it in a window.
export default function PastChats({ chats, onOpen, onRefresh }) {
  const [open, setOpen] = useState(false);

  function toggle() {
    if (!open) onRefresh();
    setOpen(!open);
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
        <ul id="past-chats" aria-label="Past chats" className="absolute right-0 mt-1 max-h-96 w-80 overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg">
          {chats.length === 0 && <li className="px-3 py-2 text-sm text-slate-400">No chats yet.</li>}
          {chats.map((chat) => (
            <li key={chat.chatId}>
              <button
                type="button"
                onClick={() => {
                  onOpen(chat.chatId);
                  setOpen(false);
                }}
                className="flex w-full flex-col px-3 py-1.5 text-left hover:bg-slate-50"
              >
                <span className="truncate text-sm text-slate-800">{chat.title || chat.chatId}</span>
                <span className="text-xs text-slate-400">
                  {chat.messageCount} messages · {new Date(chat.updatedAt).toLocaleString()}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
