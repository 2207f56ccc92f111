import { useRef } from 'react';

// "Import chats…": a file picker for a Parley JSON export or a ChatGPT conversations.json.
export function ImportButton({ onImport, className, children = 'Import chats…', role }) {
  const input = useRef(null);
  return (
    <>
      <button type="button" role={role} className={className} onClick={() => input.current.click()}>
        {children}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        aria-label="Chats file to import"
        hidden
        onChange={(event) => {
          const [file] = event.target.files;
          event.target.value = '';
          if (file) onImport(file);
        }}
      />
    </>
  );
}

// What the last import made (each chat can be opened from here), or what went wrong.
export function TransferReport({ state, onOpen, onDismiss }) {
  if (state.phase === 'idle') return null;
  const failed = state.phase === 'failed';
  return (
    <div
      role={failed ? 'alert' : 'status'}
      aria-label="Export and import"
      className={`flex items-start gap-2 border-b px-4 py-2 text-sm ${failed ? 'border-red-200 bg-red-50 text-red-800' : 'border-emerald-200 bg-emerald-50 text-emerald-900'}`}
    >
      <div className="flex-1">
        {state.phase === 'importing' && <span>Importing {state.fileName}…</span>}
        {failed && <span>{state.fileName ? `Import of ${state.fileName} failed: ` : ''}{state.error}</span>}
        {state.phase === 'done' && (
          <>
            <span>
              Imported {state.chats.length} {state.chats.length === 1 ? 'chat' : 'chats'} from {state.fileName}:
            </span>
            <ul className="mt-1 flex flex-wrap gap-2" aria-label="Imported chats">
              {state.chats.map((chat) => (
                <li key={chat.chatId}>
                  <button type="button" onClick={() => onOpen(chat.chatId)} className="rounded border border-emerald-300 bg-white px-2 py-0.5 text-xs hover:bg-emerald-100">
                    {chat.title || chat.chatId} · {chat.messageCount} messages
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {state.phase !== 'importing' && (
        <button type="button" onClick={onDismiss} aria-label="Dismiss import report" className="px-1 opacity-70 hover:opacity-100">
          ×
        </button>
      )}
    </div>
  );
}
