import { useEffect, useRef } from 'react';

// The workspace's keyboard shortcuts, as the help panel lists them. Most are single keys, like a
// mail client's, and so count only when the person is not typing; Ctrl+K (⌘K) works everywhere,
// and Esc also in a window's message box (stopping the reply just asked for).
export const SHORTCUTS = [
  { action: 'search', keys: ['Ctrl', 'K'], description: 'Search all chats (⌘K on a Mac)' },
  { action: 'newChat', keys: ['N'], description: 'Open a new chat window' },
  { action: 'focusInput', keys: ['/'], description: 'Put the cursor in the current window’s message box' },
  { action: 'stop', keys: ['Esc'], description: 'Stop the reply streaming in the current window (or close a panel)' },
  { action: 'help', keys: ['?'], description: 'Show these shortcuts' },
];

// Keys that work inside a box rather than across the page, for the help panel.
export const BOX_KEYS = [
  { keys: ['Enter'], description: 'Send the message (in a message box)' },
  { keys: ['Shift', 'Enter'], description: 'New line (in a message box)' },
  { keys: ['↑', '↓'], description: 'Move through search results; Enter opens one' },
];

function isTyping(target) {
  if (!target || typeof target.closest !== 'function') return false;
  return Boolean(target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'));
}

function isMessageBox(target) {
  return Boolean(target?.closest?.('[data-message-box]'));
}

// The action a key press asks for, or null. A press some element already handled (its own Esc,
// an Enter) is left alone.
export function shortcutFor(event) {
  if (event.defaultPrevented || event.isComposing) return null;
  const command = event.ctrlKey || event.metaKey;
  if (command && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') return 'search';
  const typing = isTyping(event.target);
  if (event.key === 'Escape') return !typing || isMessageBox(event.target) ? 'stop' : null;
  if (typing || command || event.altKey) return null;
  if (event.key === 'n' || event.key === 'N') return 'newChat';
  if (event.key === '/') return 'focusInput';
  if (event.key === '?') return 'help';
  return null;
}

// Calls onAction(action) for each shortcut pressed on the page while `enabled`.
export function useShortcuts(enabled, onAction) {
  const handler = useRef(onAction);
  handler.current = onAction;
  useEffect(() => {
    if (!enabled) return undefined;
    function onKeyDown(event) {
      const action = shortcutFor(event);
      if (!action) return;
      // Ctrl+K would otherwise go to the browser's own search; '/' would be typed into the box.
      if (action !== 'stop') event.preventDefault();
      handler.current(action);
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
