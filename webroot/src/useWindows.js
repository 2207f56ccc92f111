import { useCallback, useEffect, useState } from 'react';

export function newChatId() {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
  return `chat-${random.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`;
}

function savedWindows(storageKey) {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey));
    if (Array.isArray(saved) && saved.every((id) => typeof id === 'string')) return saved;
  } catch {
    // a damaged entry: start afresh
  }
  return [newChatId()];
}

// The chat windows open on the page, kept across reloads (one list per account on this browser).
export function useWindows(storageKey) {
  const [windows, setWindows] = useState(() => savedWindows(storageKey));

  useEffect(() => {
    localStorage.setItem(storageKey, JSON.stringify(windows));
  }, [storageKey, windows]);

  const open = useCallback((chatId) => setWindows((current) => (current.includes(chatId) ? current : [...current, chatId])), []);
  const close = useCallback((chatId) => setWindows((current) => current.filter((id) => id !== chatId)), []);
  const openNew = useCallback(() => setWindows((current) => [...current, newChatId()]), []);

  return { windows, open, close, openNew };
}
