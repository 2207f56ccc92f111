import { useEffect, useId, useRef } from 'react';
import Dialog, { Key } from './Dialog.jsx';
import { selectedResult } from './searchState.js';
import { snippetParts } from './snippet.js';
import { useSearch } from './useSearch.js';

// A snippet as text, its matched words in <mark>: built from text nodes, never from HTML.
export function Snippet({ snippet }) {
  return (
    <span className="text-xs text-slate-600" data-snippet="">
      {snippetParts(snippet).map((part, index) =>
        part.marked ? (
          <mark key={index} className="rounded-sm bg-amber-200 px-0.5 text-slate-900">
            {part.text}
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </span>
  );
}

// The search over all of the person's chats (Ctrl+K): ↑/↓ move through the results, Enter or a
// click opens the chat at the message found, Esc closes.
export default function SearchPanel({ onOpen, onClose }) {
  const { state, setQuery, move, select } = useSearch();
  const listId = useId();
  const list = useRef(null);
  const current = selectedResult(state);

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [state.selected, state.results]);

  function onKeyDown(event) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (current) onOpen(current);
    }
  }

  const optionId = (index) => `${listId}-${index}`;
  return (
    <Dialog label="Search chats" onClose={onClose}>
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-2">
        <input
          type="search"
          role="combobox"
          aria-label="Search chats"
          aria-expanded={state.results.length > 0}
          aria-controls={listId}
          aria-activedescendant={current ? optionId(state.selected) : undefined}
          aria-autocomplete="list"
          autoFocus
          maxLength={500}
          value={state.query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Search all chats: words, or a “quoted phrase”"
          className="flex-1 rounded border-0 px-1 py-1 text-sm focus:outline-none"
        />
        <Key>Esc</Key>
      </div>
      <ul ref={list} id={listId} role="listbox" aria-label="Search results" className="max-h-[50vh] overflow-y-auto py-1">
        {state.results.map((result, index) => (
          <li
            key={`${result.chatId}/${result.messageId}`}
            id={optionId(index)}
            role="option"
            aria-selected={index === state.selected}
            data-chat-id={result.chatId}
            data-message-id={result.messageId}
            onMouseMove={() => select(index)}
            onClick={() => onOpen(result)}
            className={`flex cursor-pointer flex-col gap-0.5 px-3 py-1.5 ${index === state.selected ? 'bg-sky-50' : ''}`}
          >
            <span className="flex items-baseline gap-2">
              <span className="min-w-0 flex-1 truncate text-sm font-medium text-slate-800">{result.title || result.chatId}</span>
              <span className="text-xs text-slate-400">{new Date(result.createdAt).toLocaleDateString()}</span>
            </span>
            <Snippet snippet={result.snippet} />
          </li>
        ))}
      </ul>
      <SearchStatus state={state} />
    </Dialog>
  );
}

function SearchStatus({ state }) {
  let text = null;
  if (state.phase === 'idle') text = 'Type to search the titles and messages of all your chats.';
  else if (state.phase === 'failed') text = state.error;
  else if (state.phase === 'done' && state.results.length === 0) text = 'Nothing found.';
  else if (state.phase !== 'done') text = 'Searching…';
  if (!text) return null;
  return (
    <p role={state.phase === 'failed' ? 'alert' : 'status'} className={`px-3 py-2 text-sm ${state.phase === 'failed' ? 'text-red-700' : 'text-slate-500'}`}>
      {text}
    </p>
  );
}
