import { useEffect, useRef, useState } from 'react';
import { ModelPicker, WindowTitle } from './ChatHeader.jsx';
import ChatMenu from './ChatMenu.jsx';
import ChatSettingsPanel from './ChatSettingsPanel.jsx';
import MessageList, { FOLLOW_NOW } from './MessageList.jsx';
import { canSend, canStop, hasEnded, isLoading, isStopping, isStreaming } from './chatState.js';
import { useChat } from './useChat.js';

// One chat window. `chat` is its line of the chat list (title and settings) once it has one;
// `broadcast` ({id, text}) is a message sent to every window at once; `request` ({seq, chatId,
// type, messageId?}) is what the workspace asks of one window: 'focusInput', 'stop', or 'show' a
// message a search found (a window opened by it starts there). `onActivate` is told when the
// person works in it; `onExport(format, title)` and `onImport(file)` come from its menu.
export default function ChatWindow({
  chatId,
  chat,
  models = [],
  broadcast,
  request,
  onClose,
  onActivate,
  onExport,
  onImport,
  onReplyStarted,
  onReplyEnded,
  onChatChanged,
}) {
  // A window opened by a search result starts at the message found: that request is done by then.
  const [opening] = useState(() => (request?.chatId === chatId && request.type === 'show' ? request : null));
  const { state, send, edit, regenerate, switchTo, showMessage, updateSettings, settingsLoaded, stop, loadOlder, dismissError } = useChat(
    chatId,
    opening?.messageId,
  );
  const [draft, setDraft] = useState('');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const lastBroadcast = useRef(broadcast?.id);
  const handledRequest = useRef(opening?.seq ?? null);
  const messageBox = useRef(null);
  const stickToBottom = useRef(true);
  const sendWhenLoaded = useRef(false);
  const streaming = isStreaming(state);
  const ended = hasEnded(state);

  // The chat list is the server's word on the chat's title and settings.
  const chatJson = chat ? JSON.stringify(chat) : null;
  useEffect(() => {
    if (chatJson) settingsLoaded(JSON.parse(chatJson));
  }, [chatJson, settingsLoaded]);

  // A message for all windows: this one sends it too, unless it is busy.
  useEffect(() => {
    if (!broadcast || broadcast.id === lastBroadcast.current) return;
    lastBroadcast.current = broadcast.id;
    if (canSend(state)) {
      stickToBottom.current = FOLLOW_NOW;
      send(broadcast.text);
    }
  }, [broadcast, state, send]);

  useEffect(() => {
    if (!request || request.chatId !== chatId || request.seq === handledRequest.current) return;
    handledRequest.current = request.seq;
    if (request.type === 'focusInput') messageBox.current?.focus();
    else if (request.type === 'stop' && canStop(state)) stop();
    else if (request.type === 'show') showMessage(request.messageId);
  }, [request, chatId, state, stop, showMessage]);

  async function changeSettings(changes) {
    const saved = await updateSettings(changes);
    if (saved) onChatChanged?.();
    return saved;
  }

  // A new exchange may have given the chat its title.
  useEffect(() => {
    if (streaming) onReplyStarted?.();
  }, [streaming, onReplyStarted]);

  // An ended reply has counted towards the person's usage.
  useEffect(() => {
    if (ended) onReplyEnded?.();
  }, [ended, onReplyEnded]);

  async function deliver(content) {
    sendWhenLoaded.current = false;
    setDraft('');
    stickToBottom.current = FOLLOW_NOW;
    if (!(await send(content))) setDraft(content);
  }

  function submit() {
    if (!draft.trim()) return;
    if (isLoading(state)) sendWhenLoaded.current = true;
    else if (canSend(state)) deliver(draft.trim());
  }

  // Sent while the history was still loading (a slow first load): the box's text goes once the
  // history is there, instead of the key press doing nothing; if a reply is streaming by then, it
  // stays in the box.
  useEffect(() => {
    if (!sendWhenLoaded.current || isLoading(state)) return;
    sendWhenLoaded.current = false;
    if (canSend(state) && draft.trim()) deliver(draft.trim());
  });

  function onKeyDown(event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  const label = state.settings.title || chatId;
  const model = state.settings.model ?? models.find((m) => m.available && m.name)?.id;
  return (
    <section
      aria-label={`Chat ${label}`}
      data-chat-id={chatId}
      onFocus={onActivate}
      onPointerDown={onActivate}
      className="flex h-[70vh] min-h-80 flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2">
        <WindowTitle title={label} onRename={(title) => changeSettings({ title })} />
        <ModelPicker models={models} value={model} onChange={(id) => changeSettings({ model: id })} />
        <button
          type="button"
          aria-expanded={settingsOpen}
          onClick={() => setSettingsOpen(!settingsOpen)}
          className="rounded px-1.5 py-0.5 text-xs text-slate-600 hover:bg-slate-100"
        >
          Settings
        </button>
        <ChatMenu canExport={state.messages.some((m) => !m.pending)} onExport={(format) => onExport?.(format, state.settings.title)} onImport={(file) => onImport?.(file)} />
        {streaming && (
          <span className="flex items-center gap-1 text-xs text-emerald-700" role="status">
            <span className="h-2 w-2 animate-pulse rounded-full bg-emerald-500" /> {isStopping(state) ? 'stopping' : 'streaming'}
          </span>
        )}
        <button
          type="button"
          onClick={onClose}
          aria-label={`Close chat ${label}`}
          className="rounded px-2 py-0.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
        >
          ×
        </button>
      </header>

      {settingsOpen && <ChatSettingsPanel settings={state.settings} onSave={changeSettings} onClose={() => setSettingsOpen(false)} />}

      <MessageList state={state} stickToBottom={stickToBottom} onLoadOlder={loadOlder} onRegenerate={regenerate} onEdit={edit} onSwitch={switchTo} />

      {state.error && (
        <div role="alert" className="flex items-start gap-2 border-t border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <span className="flex-1">{state.error}</span>
          <button type="button" onClick={dismissError} aria-label="Dismiss error" className="text-red-600 hover:text-red-900">
            ×
          </button>
        </div>
      )}

      <form
        className="flex items-end gap-2 border-t border-slate-200 p-2"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <textarea
          ref={messageBox}
          aria-label="Message"
          data-message-box=""
          rows={2}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Message (Enter to send, Shift+Enter for a new line)"
          className="min-h-10 flex-1 resize-none rounded-lg border border-slate-300 px-2 py-1.5 text-sm focus:border-sky-500 focus:outline-none"
        />
        {streaming ? (
          <button
            type="button"
            onClick={stop}
            disabled={!canStop(state)}
            className="rounded-lg bg-slate-800 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:cursor-wait disabled:bg-slate-500"
          >
            Stop
          </button>
        ) : (
          <button
            type="submit"
            disabled={!canSend(state) || !draft.trim()}
            className="rounded-lg bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-500 disabled:cursor-not-allowed disabled:bg-slate-300"
          >
            Send
          </button>
        )}
      </form>
    </section>
  );
}
