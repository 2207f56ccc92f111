import { useCallback, useEffect, useReducer, useRef } from 'react';
import * as api from './api.js';
import { chatReducer, initialState } from './chatState.js';
import { openEventSource } from './eventSource.js';

const CLOSED = 2;
let tempCounter = 0;

// One chat: its history, sending, and the live reply over Server-Sent Events. The browser's
// EventSource reconnects by itself with Last-Event-ID; the reducer drops anything seen twice.
export function useChat(chatId) {
  const [state, dispatch] = useReducer(chatReducer, initialState);
  const sourceRef = useRef(null);

  const closeStream = useCallback(() => {
    sourceRef.current?.close();
    sourceRef.current = null;
  }, []);

  const load = useCallback(
    async ({ attach }) => {
      try {
        const messages = (await api.loadHistory(chatId)) ?? [];
        const hasMore = messages.length === api.PAGE_SIZE;
        const last = messages[messages.length - 1];
        const running = attach && last?.sender === 'bot' && last.status === 'streaming';
        dispatch({ type: 'historyLoaded', messages: running ? messages : settled(messages), hasMore });
        return running;
      } catch (error) {
        dispatch({ type: 'historyFailed', error: error.message });
        return false;
      }
    },
    [chatId],
  );

  const openStream = useCallback(() => {
    closeStream();
    const source = openEventSource(api.streamUrl(chatId));
    sourceRef.current = source;
    source.onmessage = (event) => dispatch({ type: 'delta', seq: Number(event.lastEventId), text: event.data });
    source.addEventListener('end', (event) => {
      // Close before the server does, or the browser would reconnect.
      closeStream();
      const end = JSON.parse(event.data);
      dispatch({ type: 'ended', status: end.status, messageId: end.messageId, error: end.error });
    });
    source.onerror = () => {
      // While CONNECTING the browser retries by itself; CLOSED means it gave up (e.g. 204, no
      // reply kept): the stored history then has the final word.
      if (source.readyState === CLOSED && sourceRef.current === source) {
        closeStream();
        load({ attach: false });
      }
    };
  }, [chatId, closeStream, load]);

  useEffect(() => {
    let active = true;
    load({ attach: true }).then((running) => {
      if (active && running) openStream();
    });
    return () => {
      active = false;
      closeStream();
    };
  }, [load, openStream, closeStream]);

  const send = useCallback(
    async (content) => {
      const tempId = `pending-${++tempCounter}`;
      dispatch({ type: 'sendStarted', tempId, content });
      try {
        const { message, reply } = await api.sendMessage(chatId, content);
        dispatch({ type: 'sendAccepted', tempId, message, reply });
        openStream();
        return true;
      } catch (error) {
        dispatch({ type: 'sendFailed', tempId, error: error.message });
        return false;
      }
    },
    [chatId, openStream],
  );

  const stop = useCallback(async () => {
    dispatch({ type: 'stopRequested' });
    try {
      const { terminated } = await api.terminate(chatId);
      dispatch({ type: 'stopAnswered', terminated });
      if (!terminated) {
        closeStream();
        await load({ attach: false });
      }
    } catch (error) {
      dispatch({ type: 'stopFailed', error: error.message });
    }
  }, [chatId, closeStream, load]);

  const loadOlder = useCallback(async () => {
    if (!state.hasMore || state.loadingOlder || state.messages.length === 0) return;
    dispatch({ type: 'olderRequested' });
    try {
      const older = (await api.loadHistory(chatId, state.messages[0].id)) ?? [];
      dispatch({ type: 'olderLoaded', messages: older, hasMore: older.length === api.PAGE_SIZE });
    } catch (error) {
      dispatch({ type: 'olderFailed', error: error.message });
    }
  }, [chatId, state.hasMore, state.loadingOlder, state.messages]);

  const dismissError = useCallback(() => dispatch({ type: 'dismissError' }), []);

  return { state, send, stop, loadOlder, dismissError };
}

// A reply still marked streaming that nobody can replay is shown as it was left.
function settled(messages) {
  return messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' } : m));
}
