// The workspace's state, as a pure reducer: the chat windows open (in order), the one the person
// is working in (`active`: the last one focused or opened), the panel shown over them ('search',
// 'help' or none), and the last request to one window (`request`: {seq, chatId, type,
// messageId?}, type 'focusInput', 'stop' or 'show'), which that window carries out once.

export function initialWorkspace(windows) {
  return { windows, active: null, panel: null, request: null, seq: 0 };
}

// The window a request without a named window goes to: the active one, else the last opened.
export function currentWindow(state) {
  return state.windows.includes(state.active) ? state.active : (state.windows[state.windows.length - 1] ?? null);
}

function withRequest(state, chatId, type, extra = {}) {
  const seq = state.seq + 1;
  return { ...state, seq, request: { seq, chatId, type, ...extra } };
}

export function workspaceReducer(state, action) {
  switch (action.type) {
    case 'opened': {
      // A past chat, or a search result (messageId: the window opens at that message).
      const windows = state.windows.includes(action.chatId) ? state.windows : [...state.windows, action.chatId];
      const opened = { ...state, windows, active: action.chatId, panel: null };
      if (action.messageId) return withRequest(opened, action.chatId, 'show', { messageId: action.messageId });
      return { ...opened, request: null };
    }
    case 'openedNew':
      return withRequest({ ...state, windows: [...state.windows, action.chatId], active: action.chatId }, action.chatId, 'focusInput');
    case 'closed':
      return {
        ...state,
        windows: state.windows.filter((id) => id !== action.chatId),
        active: state.active === action.chatId ? null : state.active,
        request: state.request?.chatId === action.chatId ? null : state.request,
      };
    case 'activated':
      return state.active === action.chatId ? state : { ...state, active: action.chatId };
    case 'commanded': {
      const chatId = currentWindow(state);
      return chatId ? withRequest(state, chatId, action.command) : state;
    }
    case 'panelOpened':
      return { ...state, panel: action.panel };
    case 'panelClosed':
      return state.panel ? { ...state, panel: null } : state;
    default:
      throw new Error(`unknown action ${action.type}`);
  }
}
