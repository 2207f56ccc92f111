import { describe, expect, it } from 'vitest';
import { FIRST_INDEX, canSend, canStop, chatReducer, initialState, isBusy, isLive, isStreaming, lastMessageId, siblingPosition } from './chatState.js';

const user = { id: 'u1', chatId: 'c', sender: 'user', content: 'hi', status: 'complete' };
const reply = { id: 'b1', chatId: 'c', sender: 'bot', content: '', status: 'streaming' };

// A reply under way: sent, accepted, and its first delta ("some") in.
const streaming = [
  { type: 'historyLoaded', messages: [], hasMore: false },
  { type: 'sendStarted', tempId: 't', content: 'hi' },
  { type: 'sendAccepted', tempId: 't', message: user, reply },
  { type: 'delta', seq: 1, text: 'some' },
];

function run(...actions) {
  return actions.reduce(chatReducer, initialState);
}

describe('chat window state machine', () => {
  it('goes idle → sending → streaming → idle, building the reply from deltas', () => {
    let state = run({ type: 'historyLoaded', messages: [], hasMore: false });
    expect(state.phase).toBe('idle');
    state = chatReducer(state, { type: 'sendStarted', tempId: 't1', content: 'hi' });
    expect(state.phase).toBe('sending');
    expect(state.messages).toEqual([expect.objectContaining({ id: 't1', content: 'hi', pending: true })]);
    state = chatReducer(state, { type: 'sendAccepted', tempId: 't1', message: user, reply });
    expect(state.phase).toBe('streaming');
    expect(state.messages.map((m) => m.id)).toEqual(['u1', 'b1']);
    state = chatReducer(state, { type: 'delta', seq: 1, text: 'Hel' });
    state = chatReducer(state, { type: 'delta', seq: 2, text: 'lo' });
    state = chatReducer(state, { type: 'ended', status: 'complete', messageId: 'b1' });
    // The window's rest state after a reply is 'ended' (with its status); like idle, it can send.
    expect(state.phase).toBe('ended');
    expect(state.endStatus).toBe('complete');
    expect(isBusy(state)).toBe(false);
    expect(state.messages[1]).toEqual(expect.objectContaining({ content: 'Hello', status: 'complete' }));
  });

  it('ignores deltas it has already seen, as after a reconnect', () => {
    const state = run(
      { type: 'historyLoaded', messages: [], hasMore: false },
      { type: 'sendStarted', tempId: 't', content: 'hi' },
      { type: 'sendAccepted', tempId: 't', message: user, reply },
      { type: 'delta', seq: 1, text: 'a' },
      { type: 'delta', seq: 2, text: 'b' },
      { type: 'delta', seq: 2, text: 'b' },
      { type: 'delta', seq: 1, text: 'a' },
      { type: 'delta', seq: 3, text: 'c' },
    );
    expect(state.messages[1].content).toBe('abc');
  });

  it('picks up a reply already streaming when history loads, replaying it from the start', () => {
    const state = run(
      { type: 'historyLoaded', messages: [user, { ...reply, content: 'partial checkpoint' }], hasMore: false },
      { type: 'delta', seq: 1, text: 'partial ' },
    );
    expect(state.phase).toBe('streaming');
    expect(state.streamingId).toBe('b1');
    expect(state.messages[1].content).toBe('partial ');
  });

  it('marks a stopped or failed reply and shows why it failed', () => {
    const stopped = run(...streaming, { type: 'ended', status: 'terminated', messageId: 'b1' });
    expect(stopped.messages[1]).toEqual(expect.objectContaining({ content: 'some', status: 'terminated' }));
    expect(stopped.error).toBeNull();
    const failed = run(...streaming, { type: 'ended', status: 'error', messageId: 'b1', error: 'upstream 500' });
    expect(failed.messages[1].status).toBe('error');
    expect(failed.error).toContain('upstream 500');
  });

  it('drops the pending message and shows the error when sending fails', () => {
    const state = run(
      { type: 'historyLoaded', messages: [user], hasMore: false },
      { type: 'sendStarted', tempId: 't', content: 'again' },
      { type: 'sendFailed', tempId: 't', error: 'a reply is still streaming' },
    );
    expect(state.phase).toBe('idle');
    expect(state.messages).toEqual([user]);
    expect(state.error).toBe('a reply is still streaming');
  });

  it('prepends older pages without duplicates', () => {
    const older = { id: 'o1', sender: 'user', content: 'old', status: 'complete' };
    const state = run(
      { type: 'historyLoaded', messages: [user], hasMore: true },
      { type: 'olderRequested' },
      { type: 'olderLoaded', messages: [older, user], hasMore: false },
    );
    expect(state.messages.map((m) => m.id)).toEqual(['o1', 'u1']);
    expect(state.hasMore).toBe(false);
    expect(state.loadingOlder).toBe(false);
    // The list keeps its place: its first position moves back by the messages put in front.
    expect(state.firstIndex).toBe(FIRST_INDEX - 1);
  });

  describe('where the view opens', () => {
    const path = ['m1', 'm2', 'm3'].map((id) => ({ id, sender: 'user', content: id, status: 'complete' }));

    it('opens a loaded path at its end, each load a new opening that puts the list back at its first position', () => {
      const first = run({ type: 'historyLoaded', messages: path, hasMore: true });
      expect(first.view).toEqual({ version: 1, anchorId: null, foundId: null });
      const again = run(
        { type: 'historyLoaded', messages: path, hasMore: true },
        { type: 'olderLoaded', messages: [{ id: 'm0', sender: 'user', content: 'm0', status: 'complete' }], hasMore: false },
        { type: 'historyLoaded', messages: path, hasMore: true },
      );
      expect(again.view.version).toBe(2);
      expect(again.firstIndex).toBe(FIRST_INDEX);
    });

    it('opens at the message a search found and marks it; a message not on the path opens nothing', () => {
      const state = run({ type: 'historyLoaded', messages: path, hasMore: false, anchorId: 'm2', found: true });
      expect(state.view).toEqual({ version: 1, anchorId: 'm2', foundId: 'm2' });
      const missing = run({ type: 'historyLoaded', messages: path, hasMore: false, anchorId: 'zz', found: true });
      expect(missing.view).toEqual({ version: 1, anchorId: null, foundId: null });
    });

    it('opens at a version switched to without marking it', () => {
      const state = run({ type: 'historyLoaded', messages: path, hasMore: false, anchorId: 'm3' });
      expect(state.view).toEqual({ version: 1, anchorId: 'm3', foundId: null });
    });

    it('shows a message already on the path again, and drops the mark once the person sends', () => {
      let state = run({ type: 'historyLoaded', messages: path, hasMore: false }, { type: 'messageShown', messageId: 'm1' });
      expect(state.view).toEqual({ version: 2, anchorId: 'm1', foundId: 'm1' });
      expect(chatReducer(state, { type: 'messageShown', messageId: 'nope' })).toBe(state);
      state = chatReducer(state, { type: 'sendStarted', tempId: 't', content: 'next' });
      expect(state.view).toEqual({ version: 2, anchorId: 'm1', foundId: null });
    });
  });

  describe('stopping', () => {
    it('enters stopping when Stop is pressed, keeps taking text, and leaves on the end event', () => {
      let state = run(...streaming);
      expect(canStop(state)).toBe(true);
      state = chatReducer(state, { type: 'stopRequested' });
      expect(state.phase).toBe('stopping');
      expect(canStop(state)).toBe(false);
      expect(isStreaming(state)).toBe(true);
      expect(isBusy(state)).toBe(true);
      expect(canSend(state)).toBe(false);
      expect(isLive(state, state.messages[1])).toBe(true);
      state = chatReducer(state, { type: 'delta', seq: 2, text: ' more' });
      state = chatReducer(state, { type: 'stopAnswered', terminated: true });
      expect(state.phase).toBe('stopping');
      state = chatReducer(state, { type: 'ended', status: 'terminated', messageId: 'b1' });
      expect(state.phase).toBe('ended');
      expect(state.endStatus).toBe('terminated');
      expect(state.streamingId).toBeNull();
      expect(state.messages[1]).toEqual(expect.objectContaining({ content: 'some more', status: 'terminated' }));
      expect(canSend(state)).toBe(true);
      expect(isLive(state, state.messages[1])).toBe(false);
    });

    it('ignores a second Stop, and a terminate answer that comes after the end event', () => {
      const once = run(...streaming, { type: 'stopRequested' });
      expect(chatReducer(once, { type: 'stopRequested' })).toBe(once);
      const ended = run(...streaming, { type: 'stopRequested' }, { type: 'ended', status: 'terminated', messageId: 'b1' });
      expect(chatReducer(ended, { type: 'stopAnswered', terminated: true })).toBe(ended);
      expect(chatReducer(ended, { type: 'stopAnswered', terminated: false })).toBe(ended);
    });

    it('leaves stopping for idle when terminate says nothing was running', () => {
      const state = run(...streaming, { type: 'stopRequested' }, { type: 'stopAnswered', terminated: false });
      expect(state.phase).toBe('idle');
      expect(state.streamingId).toBeNull();
      expect(canSend(state)).toBe(true);
    });

    it('goes back to streaming with the error shown when terminate fails', () => {
      const state = run(...streaming, { type: 'stopRequested' }, { type: 'stopFailed', error: 'Cannot reach Parley' });
      expect(state.phase).toBe('streaming');
      expect(state.error).toBe('Cannot reach Parley');
      expect(canStop(state)).toBe(true);
    });

    it('does not stop what is not streaming', () => {
      const idle = run({ type: 'historyLoaded', messages: [user], hasMore: false });
      expect(chatReducer(idle, { type: 'stopRequested' })).toBe(idle);
      expect(canStop(idle)).toBe(false);
    });
  });

  it('marks the window failed when its history cannot be read, and still lets it send', () => {
    const state = run({ type: 'historyFailed', error: 'Cannot reach Parley' });
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('Cannot reach Parley');
    expect(canSend(state)).toBe(true);
  });

  it('clears the older-page flag when an older page fails', () => {
    const state = run(
      { type: 'historyLoaded', messages: [user], hasMore: true },
      { type: 'olderRequested' },
      { type: 'olderFailed', error: 'Cannot reach Parley' },
    );
    expect(state.loadingOlder).toBe(false);
    expect(state.error).toBe('Cannot reach Parley');
  });

  describe('the tree of a chat', () => {
    const q1 = { id: 'q1', sender: 'user', content: 'q1', status: 'complete', parentId: null, siblingIds: ['q1'] };
    const a1 = { id: 'a1', sender: 'bot', content: 'a1', status: 'complete', parentId: 'q1', siblingIds: ['a1'] };
    const q2 = { id: 'q2', sender: 'user', content: 'q2', status: 'complete', parentId: 'a1', siblingIds: ['q2'] };
    const a2 = { id: 'a2', sender: 'bot', content: 'a2', status: 'complete', parentId: 'q2', siblingIds: ['a2'] };
    const loaded = { type: 'historyLoaded', messages: [q1, a1, q2, a2], hasMore: false };

    it('regenerates: the reply gives way to its new version, which streams, with its siblings', () => {
      let state = run(loaded, { type: 'regenerateStarted', messageId: 'a2' });
      expect(state.phase).toBe('sending');
      expect(state.messages.map((m) => m.id)).toEqual(['q1', 'a1', 'q2']);
      const again = { id: 'a2b', sender: 'bot', content: '', status: 'streaming', parentId: 'q2', siblingIds: ['a2', 'a2b'] };
      state = chatReducer(state, { type: 'regenerateAccepted', reply: again });
      expect(state.phase).toBe('streaming');
      expect(isLive(state, again)).toBe(true);
      expect(state.messages.map((m) => m.id)).toEqual(['q1', 'a1', 'q2', 'a2b']);
      expect(siblingPosition(state.messages[3])).toEqual({ index: 2, count: 2, previous: 'a2', next: null });
      expect(state.rollback).toBeNull();
    });

    it('edits: the path is cut at the edited message and its new version follows; a refusal puts the path back', () => {
      let state = run(loaded, { type: 'editStarted', tempId: 't', messageId: 'q2', content: 'q2 again' });
      expect(state.phase).toBe('sending');
      expect(state.messages.map((m) => m.id)).toEqual(['q1', 'a1', 't']);
      const refused = chatReducer(state, { type: 'sendFailed', tempId: 't', error: 'busy' });
      expect(refused.messages).toEqual([q1, a1, q2, a2]);
      expect(refused.error).toBe('busy');

      const edited = { ...q2, id: 'q2b', content: 'q2 again', siblingIds: ['q2', 'q2b'] };
      state = chatReducer(state, { type: 'sendAccepted', tempId: 't', message: edited, reply: { id: 'a3', sender: 'bot', status: 'streaming', parentId: 'q2b' } });
      expect(state.messages.map((m) => m.id)).toEqual(['q1', 'a1', 'q2b', 'a3']);
      expect(siblingPosition(state.messages[2])).toEqual({ index: 2, count: 2, previous: 'q2', next: null });
      expect(siblingPosition(state.messages[0])).toBeNull();
    });

    it('switches paths only when idle, through loading', () => {
      const state = run(loaded, { type: 'switchStarted' });
      expect(state.phase).toBe('loading');
      expect(isBusy(state)).toBe(true);
      const busy = run(...streaming, { type: 'switchStarted' });
      expect(busy.phase).toBe('streaming');
    });

    it('a new message follows the last one on screen', () => {
      expect(lastMessageId(run(loaded))).toBe('a2');
      expect(lastMessageId(run({ type: 'historyLoaded', messages: [], hasMore: false }))).toBeUndefined();
    });

    it('keeps the chat settings the server last told', () => {
      const state = run(
        { type: 'settingsLoaded', chat: { chatId: 'c', title: 'Trip', model: 'a/b', systemPrompt: null, temperature: 0.4, pinned: true, archived: false, messageCount: 2 } },
        { type: 'settingsLoaded', chat: { title: 'Trip to Lisbon' } },
      );
      expect(state.settings).toEqual({ title: 'Trip to Lisbon', model: 'a/b', systemPrompt: null, temperature: 0.4, pinned: true, archived: false });
    });
  });
});
