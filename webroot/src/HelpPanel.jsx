import Dialog, { Key } from './Dialog.jsx';
import { BOX_KEYS, SHORTCUTS } from './shortcuts.js';

function Row({ keys, description }) {
  return (
    <tr>
      <td className="whitespace-nowrap py-1 pr-4">
        {keys.map((key, index) => (
          <span key={key}>
            {index > 0 && <span className="px-0.5 text-slate-400">+</span>}
            <Key>{key}</Key>
          </span>
        ))}
      </td>
      <td className="py-1 text-slate-700">{description}</td>
    </tr>
  );
}

// The keyboard shortcuts, opened with ? or the header's Shortcuts button.
export default function HelpPanel({ onClose }) {
  return (
    <Dialog label="Keyboard shortcuts" onClose={onClose}>
      <div className="flex items-center border-b border-slate-200 px-4 py-2">
        <h2 className="flex-1 text-sm font-semibold text-slate-800">Keyboard shortcuts</h2>
        <button type="button" autoFocus onClick={onClose} aria-label="Close shortcuts" className="rounded px-2 py-0.5 text-slate-500 hover:bg-slate-100">
          ×
        </button>
      </div>
      <div className="px-4 py-3 text-sm">
        <table aria-label="Shortcuts" className="w-full text-left">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <Row key={shortcut.action} keys={shortcut.keys} description={shortcut.description} />
            ))}
          </tbody>
        </table>
        <p className="mt-3 text-xs text-slate-500">Single keys count when you are not typing in a box.</p>
        <table aria-label="Keys in a box" className="mt-2 w-full text-left">
          <tbody>
            {BOX_KEYS.map((entry) => (
              <Row key={entry.description} keys={entry.keys} description={entry.description} />
            ))}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}
