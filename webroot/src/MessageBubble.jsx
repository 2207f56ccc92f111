import { memo, useState } from 'react';
import CopyButton, { actionButton } from './CopyButton.jsx';
import Markdown from './Markdown.jsx';
import { siblingPosition } from './chatState.js';

const STATUS_LABELS = {
  terminated: 'Stopped',
  error: 'Error',
  interrupted: 'Interrupted',
};

// One message of the path: its text, its status, "‹ n / m ›" among its versions, and what can be
// done with it (a bot reply: Regenerate, Copy; a sent message: Edit in place, Copy). `found` marks
// the message a search led to. Memoized: while a reply streams, only its own bubble renders again.
function MessageBubble({ message, live, idle, found, onRegenerate, onEdit, onSwitch }) {
  const user = message.sender === 'user';
  const mark = STATUS_LABELS[message.status];
  const [editing, setEditing] = useState(null);
  const settled = !live && !message.pending && message.status !== 'streaming';

  if (editing !== null) {
    return <EditBox text={editing} onChange={setEditing} onCancel={() => setEditing(null)} onSave={(text) => { setEditing(null); onEdit(message, text); }} />;
  }
  return (
    <div
      className={`flex flex-col ${user ? 'items-end' : 'items-start'}`}
      data-turn={message.sender}
      data-message-id={message.id}
      data-found={found ? '' : undefined}
    >
      <div
        data-sender={message.sender}
        data-status={message.status}
        className={`max-w-[85%] rounded-2xl px-3 py-2 text-sm ${user ? 'bg-sky-600 text-white' : 'bg-slate-100 text-slate-900'} ${message.pending ? 'opacity-70' : ''} ${found ? 'ring-4 ring-amber-400' : ''}`}
      >
        {user ? <p className="whitespace-pre-wrap break-words">{message.content}</p> : <Markdown text={message.content} rich={!live} />}
        {live && <span className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-slate-500 align-middle" aria-hidden="true" />}
        {mark && (
          <p className={`mt-1 text-xs font-medium ${message.status === 'error' ? 'text-red-600' : 'text-amber-700'}`} title={message.error}>
            {mark}
          </p>
        )}
      </div>
      {settled && (
        <div className="mt-0.5 flex items-center gap-1" data-actions>
          <SiblingSwitcher message={message} disabled={!idle} onSwitch={onSwitch} />
          {!user && message.model && <span className="px-1 text-xs text-slate-400">{message.model}</span>}
          {user ? (
            <>
              <button type="button" className={actionButton} disabled={!idle} onClick={() => setEditing(message.content)}>
                Edit
              </button>
              <CopyButton text={message.content} label="Copy message" />
            </>
          ) : (
            <>
              <button type="button" className={actionButton} disabled={!idle} onClick={() => onRegenerate(message)}>
                Regenerate
              </button>
              <CopyButton text={message.content} label="Copy message" />
            </>
          )}
        </div>
      )}
    </div>
  );
}

function SiblingSwitcher({ message, disabled, onSwitch }) {
  const position = siblingPosition(message);
  if (!position) return null;
  return (
    <span className="flex items-center text-xs text-slate-500" aria-label="Versions">
      <button type="button" aria-label="Previous version" className={actionButton} disabled={disabled || !position.previous} onClick={() => onSwitch(position.previous)}>
        ‹
      </button>
      <span data-version>
        {position.index} / {position.count}
      </span>
      <button type="button" aria-label="Next version" className={actionButton} disabled={disabled || !position.next} onClick={() => onSwitch(position.next)}>
        ›
      </button>
    </span>
  );
}

// Editing a sent message in place: Enter sends the new version, Esc leaves it as it was.
function EditBox({ text, onChange, onCancel, onSave }) {
  function onKeyDown(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (text.trim()) onSave(text.trim());
    }
  }
  return (
    <div className="flex justify-end">
      <textarea
        aria-label="Edit message"
        autoFocus
        rows={2}
        value={text}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        className="w-[85%] resize-none rounded-lg border border-sky-400 px-2 py-1.5 text-sm focus:outline-none"
      />
    </div>
  );
}

export default memo(MessageBubble);
