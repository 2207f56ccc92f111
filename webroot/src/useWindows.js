import { useCallback, useEffect, useMemo, useReducer } from 'react';
import { initialWorkspace, workspaceReducer } from './workspaceState.js';

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

// The chat windows open on the page, kept across reloads (one list per account on this browser),
// with the workspace's panels and its requests to windows (workspaceState.js).
export function useWindows(storageKey) {
  const [state, dispatch] = useReducer(workspaceReducer, storageKey, (key) => initialWorkspace(savedWindows(key)));

  useEffect(() => {
    localStorage.setItem(storageKey, JSON.stringify(state.windows));
  }, [storageKey, state.windows]);

  const actions = useMemo(
    () => ({
      open: (chatId, messageId) => dispatch({ type: 'opened', chatId, messageId }),
      close: (chatId) => dispatch({ type: 'closed', chatId }),
      openNew: () => dispatch({ type: 'openedNew', chatId: newChatId() }),
      activate: (chatId) => dispatch({ type: 'activated', chatId }),
      command: (command) => dispatch({ type: 'commanded', command }),
      openPanel: (panel) => dispatch({ type: 'panelOpened', panel }),
      closePanel: () => dispatch({ type: 'panelClosed' }),
    }),
    [],
  );
  const open = useCallback((chatId, messageId) => actions.open(chatId, messageId), [actions]);

  return { ...state, ...actions, open };
}
