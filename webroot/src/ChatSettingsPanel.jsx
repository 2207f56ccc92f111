import { useState } from 'react';
import { inputClass, primaryButton, secondaryButton } from './ui.jsx';

// A chat's system prompt and temperature (empty: the model's own default).
export default function ChatSettingsPanel({ settings, onSave, onClose }) {
  const [systemPrompt, setSystemPrompt] = useState(settings.systemPrompt ?? '');
  const [temperature, setTemperature] = useState(settings.temperature ?? '');

  async function save(event) {
    event.preventDefault();
    const changes = {
      systemPrompt: systemPrompt.trim() ? systemPrompt : null,
      temperature: temperature === '' ? null : Number(temperature),
    };
    if (await onSave(changes)) onClose();
  }

  return (
    <form aria-label="Chat settings" onSubmit={save} className="space-y-2 border-b border-slate-200 bg-slate-50 px-3 py-2">
      <label className="block text-xs font-medium text-slate-700">
        System prompt
        <textarea rows={3} value={systemPrompt} onChange={(event) => setSystemPrompt(event.target.value)} className={`${inputClass} mt-1`} />
      </label>
      <label className="block text-xs font-medium text-slate-700">
        Temperature (0 to 2, empty for the model's default)
        <input
          type="number"
          min="0"
          max="2"
          step="0.1"
          value={temperature}
          onChange={(event) => setTemperature(event.target.value)}
          className={`${inputClass} mt-1`}
        />
      </label>
      <div className="flex gap-2">
        <button type="submit" className={primaryButton}>
          Save settings
        </button>
        <button type="button" onClick={onClose} className={secondaryButton}>
          Cancel
        </button>
      </div>
    </form>
  );
}
