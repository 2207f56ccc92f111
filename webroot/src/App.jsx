import { useCallback, useEffect, useState } from 'react';
import ChatWindow from './ChatWindow.jsx';
import PastChats from './PastChats.jsx';
import { listChats } from './api.js';

const STORAGE_KEY = 'parley.windows';

export function newChatId() {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
  return `chat-${random.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`;
}

function savedWindows() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY));
    if (Array.isArray(saved) && saved.every((id) => typeof id === 'string')) return saved;
  } catch {
    // a damaged entry: start afresh
  }
  return [newChatId()];
}

export default function App() {
  const [windows, setWindows] = useState(savedWindows);
  const [chats, setChats] = useState([]);

  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(windows));
  }, [windows]);

  const refreshChats = useCallback(() => {
    listChats().then((list) => setChats(list ?? [])).catch(() => setChats([]));
  }, []);

  useEffect(refreshChats, [refreshChats]);

  const titles = Object.fromEntries(chats.map((chat) => [chat.chatId, chat.title]));
  const open = (chatId) => setWindows((current) => (current.includes(chatId) ? current : [...current, chatId]));
  const close = (chatId) => setWindows((current) => current.filter((id) => id !== chatId));

  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-10 flex items-center gap-3 border-b border-slate-200 bg-white/90 px-4 py-2 backdrop-blur">
        <h1 className="text-lg font-bold text-slate-900">Parley</h1>
        <div className="flex-1" />
        <PastChats chats={chats} onOpen={open} onRefresh={refreshChats} />
        <button
          type="button"
          onClick={() => setWindows((current) => [...current, newChatId()])}
          className="rounded-lg bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-500"
        >
          New chat
        </button>
      </header>
      <main className="grid grid-cols-1 gap-4 p-4 md:grid-cols-2 xl:grid-cols-3">
        {windows.map((chatId) => (
          <ChatWindow key={chatId} chatId={chatId} title={titles[chatId]} onClose={() => close(chatId)} onReplyStarted={refreshChats} />
        ))}
        {windows.length === 0 && (
          <p className="col-span-full py-16 text-center text-slate-500">No chat open. Start a new one or reopen a past chat.</p>
        )}
      </main>
    </div>
  );
}
