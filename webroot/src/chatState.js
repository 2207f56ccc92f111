// The state machine of one chat window, as a pure reducer. `phase` is the one source of truth
// about what the window is doing; components ask the selectors below, never keep flags of their own.
//
//   loading ──historyLoaded──▶ idle | streaming (a reply already running is replayed)
//   loading ──historyFailed──▶ failed (the history could not be read; sending still works)
//   idle | ended | failed ──sendStarted──▶ sending ──sendAccepted──▶ streaming
//                                            sending ──sendFailed──▶ idle (the error is shown)
//   streaming ──stopRequested──▶ stopping ──stopAnswered(terminated: false)──▶ idle
//                                 stopping ──stopFailed──▶ streaming (the error is shown)
//   streaming | stopping ──ended──▶ ended (endStatus: complete, terminated or error)
//
// Data kept beside the phase: the messages, the streaming reply's id and last sequence number,
// whether older pages exist (and are being fetched), the end status, and an error to show.

export const initialState = {
  phase: 'loading',
  messages: [],
  streamingId: null,
  lastSeq: 0,
  hasMore: false,
  loadingOlder: false,
  endStatus: null,
  error: null,
};

// A reply is arriving (also while a Stop is on its way: text keeps coming until the end event).
export const isStreaming = (state) => state.phase === 'streaming' || state.phase === 'stopping';
// Nothing new may be sent: the history is not there yet, or an exchange is under way. (Sending
// waits for the history, which would otherwise land on top of the new exchange.)
export const isBusy = (state) => state.phase === 'loading' || state.phase === 'sending' || isStreaming(state);
export const canSend = (state) => !isBusy(state);
// Stop is offered while streaming and pressed at most once.
export const canStop = (state) => state.phase === 'streaming';
export const isStopping = (state) => state.phase === 'stopping';
export const isLoading = (state) => state.phase === 'loading';
export const hasEnded = (state) => state.phase === 'ended';
export const isLive = (state, message) => isStreaming(state) && message.id === state.streamingId;

function updateMessage(messages, id, change) {
  return messages.map((m) => (m.id === id ? { ...m, ...change(m) } : m));
}

function historyLoaded(state, action) {
  const last = action.messages[action.messages.length - 1];
  const running = last && last.sender === 'bot' && last.status === 'streaming';
  return {
    ...state,
    phase: running ? 'streaming' : 'idle',
    // A reply already running is replayed from its first token: start its text afresh.
    messages: running ? updateMessage(action.messages, last.id, () => ({ content: '' })) : action.messages,
    hasMore: action.hasMore,
    streamingId: running ? last.id : null,
    lastSeq: 0,
    endStatus: null,
  };
}

function ended(state, action) {
  const id = action.messageId ?? state.streamingId;
  const messages = updateMessage(state.messages, id, () => ({
    status: action.status,
    ...(action.error ? { error: action.error } : {}),
  }));
  const error = action.status === 'error' && action.error ? `The reply failed: ${action.error}` : state.error;
  // An end that arrives after the window moved on (a reload, a new send) only marks its message.
  if (!isStreaming(state)) return { ...state, messages };
  return { ...state, phase: 'ended', endStatus: action.status, streamingId: null, messages, error };
}

export function chatReducer(state, action) {
  switch (action.type) {
    case 'historyLoaded':
      return historyLoaded(state, action);
    case 'historyFailed':
      return { ...state, error: action.error, phase: state.phase === 'loading' ? 'failed' : state.phase };
    case 'olderRequested':
      return { ...state, loadingOlder: true };
    case 'olderLoaded':
      return {
        ...state,
        loadingOlder: false,
        hasMore: action.hasMore,
        messages: [...action.messages.filter((m) => !state.messages.some((s) => s.id === m.id)), ...state.messages],
      };
    case 'olderFailed':
      return { ...state, loadingOlder: false, error: action.error };
    case 'sendStarted':
      return {
        ...state,
        phase: 'sending',
        endStatus: null,
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
      if (!isStreaming(state) || action.seq <= state.lastSeq) return state;
      return {
        ...state,
        lastSeq: action.seq,
        messages: updateMessage(state.messages, state.streamingId, (m) => ({ content: m.content + action.text })),
      };
    case 'stopRequested':
      return canStop(state) ? { ...state, phase: 'stopping', error: null } : state;
    case 'stopAnswered':
      // Terminated: the end event follows and closes the phase. Not: nothing was running here
      // (it ended meanwhile, or elsewhere); the stored history, read next, has the final word.
      if (!isStopping(state) || action.terminated) return state;
      return { ...state, phase: 'idle', streamingId: null };
    case 'stopFailed':
      return { ...state, error: action.error, phase: isStopping(state) ? 'streaming' : state.phase };
    case 'ended':
      return ended(state, action);
    case 'dismissError':
      return { ...state, error: null };
    default:
      throw new Error(`unknown action ${action.type}`);
  }
}
