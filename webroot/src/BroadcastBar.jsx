import { useState } from 'react';
import { primaryButton } from './ui.jsx';

// One message for every open window at once, each answered by its own model: for comparing them.
export default function BroadcastBar({ windowCount, onSend }) {
  const [text, setText] = useState('');
  function submit(event) {
    event.preventDefault();
    if (!text.trim()) return;
    onSend(text.trim());
    setText('');
  }
  return (
    <form onSubmit={submit} className="flex items-center gap-2 px-4 pt-3">
      <input
        aria-label="Message for all windows"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={`Ask all ${windowCount} windows the same thing, to compare their models`}
        className="min-w-0 flex-1 rounded-lg border border-slate-300 px-2 py-1.5 text-sm focus:border-sky-500 focus:outline-none"
      />
      <button type="submit" className={primaryButton} disabled={!text.trim() || windowCount === 0}>
        Send to all windows
      </button>
    </form>
  );
}
