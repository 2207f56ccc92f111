import { useEffect, useState } from 'react';

export const actionButton =
  'rounded px-1.5 py-0.5 text-xs text-slate-500 hover:bg-slate-200 hover:text-slate-800 disabled:cursor-not-allowed disabled:opacity-50';

// Puts `text` on the clipboard and says so for a moment. `label` names it for screen readers
// when "Copy" alone would be ambiguous (a message's Copy beside its code blocks' ones).
export default function CopyButton({ text, label, className = actionButton }) {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // no clipboard (an insecure page, a refused permission): nothing to do
    }
  }

  return (
    <button type="button" className={className} aria-label={label} onClick={copy}>
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
