import { describe, expect, it } from 'vitest';
import { hasQuery, initialSearch, searchReducer, selectedResult } from './searchState.js';

const run = (...actions) => actions.reduce(searchReducer, initialSearch);
const results = ['a', 'b', 'c'].map((id) => ({ chatId: 'c', messageId: id, title: 't', snippet: id, createdAt: '2026-01-01T00:00:00Z' }));

describe('search box state', () => {
  it('waits, searches, and shows the results with the first highlighted', () => {
    let state = run({ type: 'queryChanged', query: 'sea' });
    expect(state.phase).toBe('waiting');
    state = searchReducer(state, { type: 'searchStarted', seq: 1 });
    expect(state.phase).toBe('searching');
    state = searchReducer(state, { type: 'resultsArrived', seq: 1, results });
    expect(state.phase).toBe('done');
    expect(selectedResult(state).messageId).toBe('a');
  });

  it('keeps the results when only spaces around the words change', () => {
    const done = run({ type: 'queryChanged', query: 'sea' }, { type: 'searchStarted', seq: 1 }, { type: 'resultsArrived', seq: 1, results });
    const state = searchReducer(done, { type: 'queryChanged', query: 'sea ' });
    expect(state.phase).toBe('done');
    expect(state.query).toBe('sea ');
    expect(state.results).toBe(results);
  });

  it('drops the answer to a search asked before the latest one', () => {
    const state = run(
      { type: 'queryChanged', query: 's' },
      { type: 'searchStarted', seq: 1 },
      { type: 'queryChanged', query: 'sea' },
      { type: 'searchStarted', seq: 2 },
      { type: 'resultsArrived', seq: 2, results: results.slice(0, 1) },
      { type: 'resultsArrived', seq: 1, results },
      { type: 'searchFailed', seq: 1, error: 'late' },
    );
    expect(state.results.map((r) => r.messageId)).toEqual(['a']);
    expect(state.error).toBeNull();
  });

  it('moves the highlight round the results, and picks one by index', () => {
    let state = run({ type: 'queryChanged', query: 'sea' }, { type: 'searchStarted', seq: 1 }, { type: 'resultsArrived', seq: 1, results });
    state = searchReducer(state, { type: 'selectionMoved', by: -1 });
    expect(selectedResult(state).messageId).toBe('c');
    state = searchReducer(state, { type: 'selectionMoved', by: 1 });
    expect(selectedResult(state).messageId).toBe('a');
    state = searchReducer(state, { type: 'selected', index: 1 });
    expect(selectedResult(state).messageId).toBe('b');
    expect(searchReducer(state, { type: 'selected', index: 7 })).toBe(state);
    expect(run({ type: 'selectionMoved', by: 1 })).toEqual(initialSearch);
  });

  it('shows the error of a failed search, and goes back to idle when the words are cleared', () => {
    let state = run({ type: 'queryChanged', query: 'x' }, { type: 'searchStarted', seq: 1 }, { type: 'searchFailed', seq: 1, error: 'q is too long' });
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('q is too long');
    state = searchReducer(state, { type: 'queryChanged', query: '   ' });
    expect(state.phase).toBe('idle');
    expect(hasQuery(state)).toBe(false);
    expect(state.results).toEqual([]);
    expect(state.asked).toBe(1);
  });
});
