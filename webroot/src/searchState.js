// The search box's state, as a pure reducer: the words typed, the results of the latest search
// asked for (an answer to an older one is dropped: typing fast must not show stale results), the
// highlighted result, and whether a search is under way or failed.
//
//   idle ──queryChanged(words)──▶ waiting ──searchStarted──▶ searching ──resultsArrived──▶ done
//                                                             searching ──searchFailed──▶ failed
//   any ──queryChanged('')──▶ idle (no results)

export const initialSearch = { query: '', phase: 'idle', results: [], selected: 0, error: null, asked: 0 };

export const hasQuery = (state) => state.query.trim() !== '';
export const selectedResult = (state) => state.results[state.selected] ?? null;

export function searchReducer(state, action) {
  switch (action.type) {
    case 'queryChanged':
      if (!hasQuery({ query: action.query })) return { ...initialSearch, query: action.query, asked: state.asked };
      // A space more or less is the same search: nothing new to wait for.
      if (action.query.trim() === state.query.trim()) return { ...state, query: action.query };
      return { ...state, query: action.query, phase: 'waiting', error: null };
    case 'searchStarted':
      return { ...state, phase: 'searching', asked: action.seq };
    case 'resultsArrived':
      if (action.seq !== state.asked) return state;
      return { ...state, phase: 'done', results: action.results, selected: 0, error: null };
    case 'searchFailed':
      if (action.seq !== state.asked) return state;
      return { ...state, phase: 'failed', results: [], selected: 0, error: action.error };
    case 'selectionMoved': {
      const count = state.results.length;
      if (count === 0) return state;
      return { ...state, selected: (state.selected + action.by + count) % count };
    }
    case 'selected':
      return action.index >= 0 && action.index < state.results.length ? { ...state, selected: action.index } : state;
    default:
      throw new Error(`unknown action ${action.type}`);
  }
}
