import { useCallback, useEffect, useReducer, useRef } from 'react';
import * as api from './api.js';
import { initialSearch, searchReducer } from './searchState.js';

const TYPING_PAUSE_MS = 200;
export const RESULT_LIMIT = 20;

// The search box's state and its searches: one once typing pauses, the latest one's answer kept.
export function useSearch() {
  const [state, dispatch] = useReducer(searchReducer, initialSearch);
  const seq = useRef(0);

  const query = state.query.trim();
  useEffect(() => {
    if (!query) return undefined;
    const timer = setTimeout(() => {
      const asked = ++seq.current;
      dispatch({ type: 'searchStarted', seq: asked });
      api.search(query, RESULT_LIMIT).then(
        (results) => dispatch({ type: 'resultsArrived', seq: asked, results: results ?? [] }),
        (error) => dispatch({ type: 'searchFailed', seq: asked, error: error.message }),
      );
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const setQuery = useCallback((query) => dispatch({ type: 'queryChanged', query }), []);
  const move = useCallback((by) => dispatch({ type: 'selectionMoved', by }), []);
  const select = useCallback((index) => dispatch({ type: 'selected', index }), []);
  return { state, setQuery, move, select };
}
