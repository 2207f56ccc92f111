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
//   idle | ended | failed ──editStarted──▶ sending (the path is cut at the edited message; a new
//                                           sibling of it follows, as sendAccepted does)
//   idle | ended | failed ──regenerateStarted──▶ sending ──regenerateAccepted──▶ streaming
//                                                 sending ──sendFailed──▶ idle (the path as it was)
//   idle | ended | failed ──switchStarted──▶ loading ──historyLoaded──▶ … (another path of the tree)
//   any ──messageShown──▶ the same phase, the view opened again at a message already on the path
//
// Data kept beside the phase: the messages (one path through the chat's tree, each with its
// siblingIds), the streaming reply's id and last sequence number, whether older pages exist (and
// are being fetched), the end status, an error to show, the path to restore when an edit or a
// regenerate is refused, and the chat's settings (title, model, systemPrompt, temperature, pinned,
// archived) as the server last told them. For the message list: `view` says where a freshly
// loaded path opens (`anchorId`: at that message, else at the end; `found`: the message a search
// led to, marked), its `version` grows with each new opening; `firstIndex` is the list position of
// the first message, lowered as older pages come in front (the list keeps its place by it).

// Far from zero, so that pages of older messages can always be put in front.
export const FIRST_INDEX = 10_000_000;

export const initialState = {
  phase: 'loading',
  messages: [],
  streamingId: null,
  lastSeq: 0,
  hasMore: false,
  loadingOlder: false,
  endStatus: null,
  error: null,
  rollback: null,
  settings: { title: '', model: null, systemPrompt: null, temperature: null, pinned: false, archived: false },
  view: { version: 0, anchorId: null, foundId: null },
  firstIndex: FIRST_INDEX,
};

const SETTINGS = ['title', 'model', 'systemPrompt', 'temperature', 'pinned', 'archived'];

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
// The last message of the path shown: what a new message follows.
export const lastMessageId = (state) => {
  const last = state.messages[state.messages.length - 1];
  return last && !last.pending ? last.id : undefined;
};
// "‹ n / m ›": where the message stands among its versions, or null when it has none.
export const siblingPosition = (message) => {
  const ids = message.siblingIds ?? [];
  if (ids.length < 2) return null;
  const index = ids.indexOf(message.id);
  return {
    index: index + 1,
    count: ids.length,
    previous: index > 0 ? ids[index - 1] : null,
    next: index < ids.length - 1 ? ids[index + 1] : null,
  };
};

function updateMessage(messages, id, change) {
  return messages.map((m) => (m.id === id ? { ...m, ...change(m) } : m));
}

const openedAt = (state, anchorId = null, foundId = null) => ({ version: state.view.version + 1, anchorId, foundId });

function historyLoaded(state, action) {
  const last = action.messages[action.messages.length - 1];
  const running = last && last.sender === 'bot' && last.status === 'streaming';
  const anchorId = action.messages.some((m) => m.id === action.anchorId) ? action.anchorId : null;
  return {
    ...state,
    view: openedAt(state, anchorId, anchorId && action.found ? anchorId : null),
    firstIndex: FIRST_INDEX,
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

// The path up to (not including) the message with this id.
/** The user's message as shown while its send is on the way. */
const pendingMessage = (action) => ({ id: action.tempId, sender: 'user', content: action.content, status: 'complete', pending: true });

/** A send or regenerate was accepted: its reply streams, starting empty, after `messages`. */
const replyStarted = (state, reply, messages) => ({
  ...state,
  phase: 'streaming',
  streamingId: reply.id,
  lastSeq: 0,
  rollback: null,
  messages: [...messages, { ...reply, content: '' }],
});

// The found message stays marked until the person does something else in the window.
const unmarked = (state) => (state.view.foundId ? { ...state.view, foundId: null } : state.view);

function cutBefore(messages, id) {
  const index = messages.findIndex((m) => m.id === id);
  return index < 0 ? messages : messages.slice(0, index);
}

export function chatReducer(state, action) {
  switch (action.type) {
    case 'settingsLoaded':
      return {
        ...state,
        settings: { ...state.settings, ...Object.fromEntries(SETTINGS.filter((k) => k in action.chat).map((k) => [k, action.chat[k]])) },
      };
    case 'switchStarted':
      return canSend(state) ? { ...state, phase: 'loading', error: null } : state;
    case 'editStarted':
      return {
        ...state,
        view: unmarked(state),
        phase: 'sending',
        endStatus: null,
        error: null,
        rollback: state.messages,
        messages: [...cutBefore(state.messages, action.messageId), pendingMessage(action)],
      };
    case 'regenerateStarted':
      return {
        ...state,
        view: unmarked(state),
        phase: 'sending',
        endStatus: null,
        error: null,
        rollback: state.messages,
        messages: cutBefore(state.messages, action.messageId),
      };
    case 'regenerateAccepted':
      return replyStarted(state, action.reply, state.messages);
    case 'historyLoaded':
      return historyLoaded(state, action);
    case 'historyFailed':
      return { ...state, error: action.error, phase: state.phase === 'loading' ? 'failed' : state.phase };
    case 'olderRequested':
      return { ...state, loadingOlder: true };
    case 'olderLoaded': {
      const known = new Set(state.messages.map((m) => m.id));
      const older = action.messages.filter((m) => !known.has(m.id));
      return {
        ...state,
        loadingOlder: false,
        hasMore: action.hasMore,
        firstIndex: state.firstIndex - older.length,
        messages: [...older, ...state.messages],
      };
    }
    case 'messageShown':
      return state.messages.some((m) => m.id === action.messageId)
        ? { ...state, view: openedAt(state, action.messageId, action.messageId) }
        : state;
    case 'olderFailed':
      return { ...state, loadingOlder: false, error: action.error };
    case 'sendStarted':
      return {
        ...state,
        view: unmarked(state),
        phase: 'sending',
        endStatus: null,
        error: null,
        messages: [...state.messages, pendingMessage(action)],
      };
    case 'sendAccepted':
      return replyStarted(state, action.reply, state.messages.map((m) => (m.id === action.tempId ? action.message : m)));
    case 'sendFailed':
      return {
        ...state,
        phase: 'idle',
        error: action.error,
        rollback: null,
        messages: state.rollback ?? state.messages.filter((m) => m.id !== action.tempId),
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
    case 'errorShown':
      return { ...state, error: action.error };
    case 'dismissError':
      return { ...state, error: null };
    default:
      throw new Error(`unknown action ${action.type}`);
  }
}
