import { useCallback, useEffect, useReducer, useRef } from 'react';
import * as api from './api.js';
import { canSend, chatReducer, initialState, lastMessageId } from './chatState.js';
import { openEventSource } from './eventSource.js';

const CLOSED = 2;
let tempCounter = 0;

// One chat: its history, sending, and the live reply over Server-Sent Events. The browser's
// EventSource reconnects by itself with Last-Event-ID; the reducer drops anything seen twice.
// `openAt`: a message to open the chat at (the path through it), read once when the window opens.
export function useChat(chatId, openAt) {
  const [state, dispatch] = useReducer(chatReducer, initialState);
  const sourceRef = useRef(null);
  // The latest state, for callbacks that must not change with every delta.
  const stateRef = useRef(state);
  stateRef.current = state;

  const closeStream = useCallback(() => {
    sourceRef.current?.close();
    sourceRef.current = null;
  }, []);

  // The path (through `via` if given); with `found`, far enough back to hold that message.
  const load = useCallback(
    async ({ attach, via, found = false }) => {
      try {
        let messages = (await api.loadHistory(chatId, undefined, via)) ?? [];
        let hasMore = messages.length === api.PAGE_SIZE;
        if (found) ({ messages, hasMore } = await pagesBackTo(chatId, via, messages, hasMore));
        const last = messages[messages.length - 1];
        const running = attach && last?.sender === 'bot' && last.status === 'streaming';
        dispatch({ type: 'historyLoaded', messages: running ? messages : settled(messages), hasMore, anchorId: via, found });
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

  const openAtRef = useRef(openAt);
  useEffect(() => {
    let active = true;
    const via = openAtRef.current;
    load({ attach: true, via, found: Boolean(via) }).then((running) => {
      if (active && running) openStream();
    });
    return () => {
      active = false;
      closeStream();
    };
  }, [load, openStream, closeStream]);

  // A new message follows the last one of the path on screen (whichever branch that is).
  const send = useCallback(
    async (content) => {
      const tempId = `pending-${++tempCounter}`;
      const parentId = lastMessageId(stateRef.current);
      dispatch({ type: 'sendStarted', tempId, content });
      return exchange(tempId, () => api.sendMessage(chatId, content, parentId ? { parentId } : {}));
    },
    [chatId, openStream],
  );

  // An edited message is sent as a new version of it: a sibling, under the same parent.
  const edit = useCallback(
    async (message, content) => {
      const tempId = `pending-${++tempCounter}`;
      dispatch({ type: 'editStarted', tempId, messageId: message.id, content });
      return exchange(tempId, () => api.sendMessage(chatId, content, { parentId: message.parentId ?? null }));
    },
    [chatId, openStream],
  );

  async function exchange(tempId, post) {
    try {
      const { message, reply } = await post();
      dispatch({ type: 'sendAccepted', tempId, message, reply });
      openStream();
      return true;
    } catch (error) {
      dispatch({ type: 'sendFailed', tempId, error: error.message });
      return false;
    }
  }

  const regenerate = useCallback(
    async (message) => {
      dispatch({ type: 'regenerateStarted', messageId: message.id });
      try {
        const { reply } = await api.regenerate(message.id);
        dispatch({ type: 'regenerateAccepted', reply });
        openStream();
      } catch (error) {
        dispatch({ type: 'sendFailed', error: error.message });
      }
    },
    [openStream],
  );

  // Shows another version of a message: the path through it.
  const switchTo = useCallback(
    async (messageId) => {
      dispatch({ type: 'switchStarted' });
      await load({ attach: false, via: messageId });
    },
    [load],
  );

  // Opens the view at a message a search found: where it is if it is on the path shown, else on
  // the path through it (not while an exchange is under way: that path would replace its reply).
  const showMessage = useCallback(
    async (messageId) => {
      const current = stateRef.current;
      if (current.messages.some((m) => m.id === messageId)) {
        dispatch({ type: 'messageShown', messageId });
      } else if (!canSend(current)) {
        dispatch({ type: 'errorShown', error: 'That message is on another path of this chat: open it again once the reply has ended.' });
      } else {
        dispatch({ type: 'switchStarted' });
        await load({ attach: false, via: messageId, found: true });
      }
    },
    [load],
  );

  const updateSettings = useCallback(
    async (changes) => {
      try {
        const chat = await api.updateChat(chatId, changes);
        dispatch({ type: 'settingsLoaded', chat });
        return true;
      } catch (error) {
        dispatch({ type: 'errorShown', error: error.message });
        return false;
      }
    },
    [chatId],
  );

  const settingsLoaded = useCallback((chat) => dispatch({ type: 'settingsLoaded', chat }), []);

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

  // Stable, for the list to call whenever its top comes into view; one page at a time.
  const olderInFlight = useRef(false);
  const loadOlder = useCallback(async () => {
    const { hasMore, messages } = stateRef.current;
    if (!hasMore || olderInFlight.current || messages.length === 0) return;
    olderInFlight.current = true;
    dispatch({ type: 'olderRequested' });
    try {
      const older = (await api.loadHistory(chatId, messages[0].id)) ?? [];
      dispatch({ type: 'olderLoaded', messages: older, hasMore: older.length === api.PAGE_SIZE });
    } catch (error) {
      dispatch({ type: 'olderFailed', error: error.message });
    } finally {
      olderInFlight.current = false;
    }
  }, [chatId]);

  const dismissError = useCallback(() => dispatch({ type: 'dismissError' }), []);

  return { state, send, edit, regenerate, switchTo, showMessage, updateSettings, settingsLoaded, stop, loadOlder, dismissError };
}

// Earlier pages of the path until `messageId` is among `messages` (or the path's start is reached),
// in large pages: a search may lead far back into a long chat.
async function pagesBackTo(chatId, messageId, messages, hasMore) {
  let all = messages;
  let more = hasMore;
  while (more && !all.some((m) => m.id === messageId)) {
    const older = (await api.loadHistory(chatId, all[0].id, undefined, api.FAR_PAGE_SIZE)) ?? [];
    more = older.length === api.FAR_PAGE_SIZE;
    all = [...older, ...all];
  }
  return { messages: all, hasMore: more };
}

// A reply still marked streaming that nobody can replay is shown as it was left.
function settled(messages) {
  return messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' } : m));
}
