// The state machine of one chat window, as a pure reducer.
//
// phase: 'loading' (history on its way) → 'idle' ⇄ 'sending' (POST in flight) → 'streaming'
// (a reply arrives over SSE) → 'idle' on its end event.

export const initialState = {
  messages: [],
  phase: 'loading',
  streamingId: null,
  lastSeq: 0,
  hasMore: false,
  loadingOlder: false,
  error: null,
};

function updateMessage(messages, id, change) {
  return messages.map((m) => (m.id === id ? { ...m, ...change(m) } : m));
}

export function chatReducer(state, action) {
  switch (action.type) {
    case 'historyLoaded': {
      const last = action.messages[action.messages.length - 1];
      const running = last && last.sender === 'bot' && last.status === 'streaming';
      return {
        ...state,
        messages: action.messages,
        hasMore: action.hasMore,
        phase: running ? 'streaming' : 'idle',
        streamingId: running ? last.id : null,
        lastSeq: 0,
        // A reply already running is replayed from its first token: start its text afresh.
        ...(running ? { messages: updateMessage(action.messages, last.id, () => ({ content: '' })) } : {}),
      };
    }
    case 'olderRequested':
      return { ...state, loadingOlder: true };
    case 'olderLoaded':
      return {
        ...state,
        loadingOlder: false,
        hasMore: action.hasMore,
        messages: [...action.messages.filter((m) => !state.messages.some((s) => s.id === m.id)), ...state.messages],
      };
    case 'sendStarted':
      return {
        ...state,
        phase: 'sending',
        error: null,
        messages: [
          ...state.messages,
          { id: action.tempId, sender: 'user', content: action.content, status: 'complete', pending: true },
        ],
      };
    case 'sendAccepted':
      return {
        ...state,
        phase: 'streaming',
        streamingId: action.reply.id,
        lastSeq: 0,
        messages: [
          ...state.messages.map((m) => (m.id === action.tempId ? action.message : m)),
          { ...action.reply, content: '' },
        ],
      };
    case 'sendFailed':
      return {
        ...state,
        phase: 'idle',
        error: action.error,
        messages: state.messages.filter((m) => m.id !== action.tempId),
      };
    case 'delta':
      // Sequence numbers make a reconnect exact; anything at or below the last one is a repeat.
      if (state.phase !== 'streaming' || action.seq <= state.lastSeq) return state;
      return {
        ...state,
        lastSeq: action.seq,
        messages: updateMessage(state.messages, state.streamingId, (m) => ({ content: m.content + action.text })),
      };
    case 'ended':
      return {
        ...state,
        phase: 'idle',
        streamingId: null,
        error: action.status === 'error' && action.error ? `The reply failed: ${action.error}` : state.error,
        messages: updateMessage(state.messages, action.messageId ?? state.streamingId, () => ({
          status: action.status,
          ...(action.error ? { error: action.error } : {}),
        })),
      };
    case 'failed':
      return { ...state, error: action.error, phase: state.phase === 'loading' ? 'idle' : state.phase };
    case 'dismissError':
      return { ...state, error: null };
    default:
      throw new Error(`unknown action ${action.type}`);
  }
}
