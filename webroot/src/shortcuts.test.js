import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor } from './shortcuts.js';

function press(key, { target = document.body, ...modifiers } = {}) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...modifiers });
  Object.defineProperty(event, 'target', { value: target });
  return event;
}

function element(html) {
  const holder = document.createElement('div');
  holder.innerHTML = html;
  document.body.append(holder);
  return holder.querySelector('[data-here]') ?? holder.firstElementChild;
}

describe('keyboard shortcuts', () => {
  it('maps single keys on the page to their actions', () => {
    expect(shortcutFor(press('n'))).toBe('newChat');
    expect(shortcutFor(press('N', { shiftKey: true }))).toBe('newChat');
    expect(shortcutFor(press('/'))).toBe('focusInput');
    expect(shortcutFor(press('?', { shiftKey: true }))).toBe('help');
    expect(shortcutFor(press('Escape'))).toBe('stop');
    expect(shortcutFor(press('x'))).toBeNull();
  });

  it('takes Ctrl+K and ⌘K anywhere, even while typing', () => {
    const box = element('<textarea></textarea>');
    expect(shortcutFor(press('k', { ctrlKey: true }))).toBe('search');
    expect(shortcutFor(press('K', { metaKey: true, target: box }))).toBe('search');
    expect(shortcutFor(press('k', { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it('leaves the keys alone while the person types, but for Esc in a message box', () => {
    const input = element('<input>');
    const title = element('<input aria-label="Chat title">');
    const message = element('<form data-message-box><textarea data-here></textarea></form>');
    const editable = element('<div contenteditable="true"></div>');
    for (const target of [input, title, editable]) {
      expect(shortcutFor(press('n', { target }))).toBeNull();
      expect(shortcutFor(press('/', { target }))).toBeNull();
      expect(shortcutFor(press('Escape', { target }))).toBeNull();
    }
    expect(shortcutFor(press('n', { target: message }))).toBeNull();
    expect(shortcutFor(press('Escape', { target: message }))).toBe('stop');
  });

  it('ignores a key some element already handled, a key with a modifier, and one mid-composition', () => {
    const handled = press('Escape');
    handled.preventDefault();
    expect(shortcutFor(handled)).toBeNull();
    expect(shortcutFor(press('n', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('n', { altKey: true }))).toBeNull();
    expect(shortcutFor(press('n', { isComposing: true }))).toBeNull();
  });

  it('lists every action it maps, for the help panel', () => {
    expect(SHORTCUTS.map((s) => s.action).sort()).toEqual(['focusInput', 'help', 'newChat', 'search', 'stop']);
  });
});
