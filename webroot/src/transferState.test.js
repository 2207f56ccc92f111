import { describe, expect, it } from 'vitest';
import { exportFileName, initialTransfer, transferReducer } from './transferState.js';

const run = (...actions) => actions.reduce(transferReducer, initialTransfer);

describe('export and import state', () => {
  it('reports the chats an import made, until dismissed', () => {
    const chats = [{ chatId: 'n1', title: 'Trip', messageCount: 4 }];
    let state = run({ type: 'importStarted', fileName: 'conversations.json' });
    expect(state.phase).toBe('importing');
    // A second import waits for the first.
    expect(transferReducer(state, { type: 'importStarted', fileName: 'other.json' })).toBe(state);
    expect(transferReducer(state, { type: 'dismissed' })).toBe(state);
    state = transferReducer(state, { type: 'importDone', chats });
    expect(state).toEqual({ phase: 'done', fileName: 'conversations.json', chats, error: null });
    expect(transferReducer(state, { type: 'dismissed' })).toEqual(initialTransfer);
  });

  it('reports a failed import or export with its message', () => {
    expect(run({ type: 'importStarted', fileName: 'x.json' }, { type: 'importFailed', error: 'not JSON' })).toEqual({
      phase: 'failed',
      fileName: 'x.json',
      chats: [],
      error: 'not JSON',
    });
    expect(run({ type: 'exportFailed', error: 'Export failed: gone' })).toEqual({ phase: 'failed', fileName: null, chats: [], error: 'Export failed: gone' });
  });

  it('names an export after the chat title, else its id', () => {
    expect(exportFileName('Café: the Sea & the Lighthouse!', 'chat-1', 'md')).toBe('cafe-the-sea-the-lighthouse.md');
    expect(exportFileName('', 'chat-1', 'json')).toBe('chat-1.json');
    expect(exportFileName('???', 'chat-1', 'json')).toBe('chat-1.json');
    expect(exportFileName('a'.repeat(59) + ' b', 'c', 'md')).toBe(`${'a'.repeat(59)}.md`);
  });
});
