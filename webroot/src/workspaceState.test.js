import { describe, expect, it } from 'vitest';
import { currentWindow, initialWorkspace, workspaceReducer } from './workspaceState.js';

const run = (state, ...actions) => actions.reduce(workspaceReducer, state);

describe('workspace state', () => {
  it('opens a new window active, asking it for the cursor', () => {
    const state = run(initialWorkspace(['a']), { type: 'openedNew', chatId: 'b' });
    expect(state.windows).toEqual(['a', 'b']);
    expect(state.active).toBe('b');
    expect(state.request).toEqual({ seq: 1, chatId: 'b', type: 'focusInput' });
  });

  it('opens a search result in its window (once) at the message, closing the panel', () => {
    const state = run(
      initialWorkspace(['a', 'b']),
      { type: 'panelOpened', panel: 'search' },
      { type: 'opened', chatId: 'b', messageId: 'm7' },
    );
    expect(state.windows).toEqual(['a', 'b']);
    expect(state.panel).toBeNull();
    expect(state.active).toBe('b');
    expect(state.request).toEqual({ seq: 1, chatId: 'b', type: 'show', messageId: 'm7' });
    const other = workspaceReducer(state, { type: 'opened', chatId: 'c' });
    expect(other.windows).toEqual(['a', 'b', 'c']);
    expect(other.request).toBeNull();
  });

  it('sends a command to the active window, else to the last one, and to none when there is none', () => {
    let state = run(initialWorkspace(['a', 'b']), { type: 'commanded', command: 'stop' });
    expect(state.request).toEqual({ seq: 1, chatId: 'b', type: 'stop' });
    state = run(state, { type: 'activated', chatId: 'a' }, { type: 'commanded', command: 'focusInput' });
    expect(state.request).toEqual({ seq: 2, chatId: 'a', type: 'focusInput' });
    expect(currentWindow(state)).toBe('a');
    state = run(state, { type: 'closed', chatId: 'a' });
    expect(state.active).toBeNull();
    expect(state.request).toBeNull();
    expect(currentWindow(state)).toBe('b');
    const empty = run(state, { type: 'closed', chatId: 'b' });
    expect(run(empty, { type: 'commanded', command: 'stop' })).toBe(empty);
  });

  it('opens and closes one panel at a time', () => {
    let state = run(initialWorkspace([]), { type: 'panelOpened', panel: 'help' });
    expect(state.panel).toBe('help');
    state = run(state, { type: 'panelOpened', panel: 'search' });
    expect(state.panel).toBe('search');
    state = run(state, { type: 'panelClosed' });
    expect(state.panel).toBeNull();
    expect(workspaceReducer(state, { type: 'panelClosed' })).toBe(state);
  });
});
