import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Workspace from './Workspace.jsx';
import { saveFile } from './download.js';
import { openEventSource } from './eventSource.js';
import { FakeEventSource } from './testing/FakeEventSource.js';
import { ListMeasurements } from './testing/ListMeasurements.jsx';
import { apiError, stubFetch } from './testing/fakeServer.js';

vi.mock('./eventSource.js', () => ({ openEventSource: vi.fn() }));
vi.mock('./download.js', () => ({ saveFile: vi.fn() }));

const path = [
  { id: 'm1', chatId: 'sea', parentId: null, sender: 'user', content: 'Tell me about the lighthouse', status: 'complete' },
  { id: 'm2', chatId: 'sea', parentId: 'm1', sender: 'bot', content: 'The keeper lit the lamp.', status: 'complete' },
];
const hit = { chatId: 'sea', messageId: 'm2', title: 'The sea', snippet: 'The <mark>keeper</mark> lit &lt;script&gt;x&lt;/script&gt;', createdAt: '2026-01-02T00:00:00Z' };

function start(routes = {}) {
  const fetch = stubFetch({ 'GET /api/search': [200, [{ ...hit, messageId: 'm1', snippet: 'the <mark>lighthouse</mark>' }, hit]], ...routes });
  render(<Workspace me={null} />, { wrapper: ListMeasurements });
  return fetch;
}

const key = (key, options = {}) => fireEvent.keyDown(options.target ?? document.body, { key, ...options });

describe('Workspace', () => {
  beforeEach(() => {
    localStorage.setItem('parley.windows', JSON.stringify(['first']));
    openEventSource.mockImplementation((url) => new FakeEventSource(url));
    saveFile.mockReset();
  });
  afterEach(() => {
    cleanup();
    localStorage.clear();
    vi.unstubAllGlobals();
  });

  it('searches with Ctrl+K, shows marked snippets as text, and opens the chosen result at its message', async () => {
    const fetch = start({
      'GET /api/messages/sea': [200, path],
      'GET /api/chats': [200, [{ chatId: 'other', title: 'Other chat', updatedAt: '2026-01-01T00:00:00Z', messageCount: 0 }]],
    });
    await screen.findByText('Say something to start the chat.');
    key('k', { ctrlKey: true });
    const box = screen.getByRole('combobox', { name: 'Search chats' });
    expect(document.activeElement).toBe(box);
    fireEvent.change(box, { target: { value: 'keeper' } });
    const options = await within(screen.getByRole('listbox', { name: 'Search results' })).findAllByRole('option');
    expect(options).toHaveLength(2);
    expect(options[1].querySelector('mark').textContent).toBe('keeper');
    expect(options[1].textContent).toContain('lit <script>x</script>');
    expect(options[1].querySelector('script')).toBeNull();
    expect(fetch.mock.calls.filter(([url]) => url.startsWith('/api/search')).map(([url]) => url)).toEqual(['/api/search?q=keeper&limit=20']);

    expect(options[0].getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(within(screen.getByRole('listbox')).getAllByRole('option')[1].getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'Enter' });

    expect(screen.queryByRole('dialog')).toBeNull();
    const window = await screen.findByRole('region', { name: 'Chat sea' });
    await waitFor(() => expect(window.querySelector('[data-found]')?.getAttribute('data-message-id')).toBe('m2'));
    expect(fetch.mock.calls.map(([url]) => url)).toContain('/api/messages/sea?limit=50&via=m2');

    // Another chat opened afterwards: the request is gone, the window stays as it is.
    fireEvent.click(screen.getByRole('button', { name: 'Past chats' }));
    fireEvent.click(within(screen.getByRole('list', { name: 'Past chats' })).getByText('Other chat'));
    await screen.findByRole('region', { name: 'Chat Other chat' });
    expect(window.querySelector('[data-found]')?.getAttribute('data-message-id')).toBe('m2');
  });

  it('says when a search fails, and closes with Esc', async () => {
    start({ 'GET /api/search': apiError(400, 'bad_request', 'q must be at most 500 characters') });
    fireEvent.click(await screen.findByRole('button', { name: /^Search/ }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Search chats' }), { target: { value: 'x' } });
    expect((await screen.findByRole('alert')).textContent).toBe('q must be at most 500 characters');
    fireEvent.keyDown(screen.getByRole('combobox', { name: 'Search chats' }), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens the shortcuts with ? (or its button), a new window with N, the message box with /, and leaves keys typed in a box alone', async () => {
    start();
    await screen.findByText('Say something to start the chat.');
    key('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(help).getByRole('table', { name: 'Shortcuts' }).textContent).toContain('Search all chats');
    key('n'); // not while a panel is open
    expect(screen.getAllByRole('region', { name: /^Chat / })).toHaveLength(1);
    key('Escape');
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    fireEvent.keyDown(screen.getByRole('button', { name: 'Close shortcuts' }), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();

    key('n');
    const windows = screen.getAllByRole('region', { name: /^Chat / });
    expect(windows).toHaveLength(2);
    await waitFor(() => expect(document.activeElement).toBe(within(windows[1]).getByLabelText('Message')));

    const first = within(windows[0]).getByLabelText('Message');
    key('n', { target: first });
    key('/', { target: first });
    expect(screen.getAllByRole('region', { name: /^Chat / })).toHaveLength(2);
    fireEvent.focus(first);
    document.activeElement.blur();
    key('/');
    expect(document.activeElement).toBe(first);
  });

  it('imports a file from Past chats, reports the chats made, and opens one from the report', async () => {
    const fetch = start({
      'POST /api/import': [201, { chats: [{ chatId: 'imp1', title: 'From ChatGPT', messageCount: 6 }] }],
      'GET /api/messages/imp1': [200, []],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Past chats' }));
    const file = new File(['{"format":"parley-chat"}'], 'sea.json', { type: 'application/json' });
    fireEvent.change(screen.getByLabelText('Chats file to import'), { target: { files: [file] } });
    const report = await screen.findByRole('status', { name: 'Export and import' });
    await waitFor(() => expect(report.textContent).toContain('Imported 1 chat from sea.json'));
    const [, options] = fetch.mock.calls.find(([url]) => url === '/api/import');
    expect(options).toEqual({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: file });
    expect(fetch.requests('GET', '/api/chats').length).toBeGreaterThan(1);
    fireEvent.click(within(report).getByRole('button', { name: /From ChatGPT · 6 messages/ }));
    await screen.findByRole('region', { name: 'Chat imp1' });
  });

  it('shows what was wrong with a file that is refused', async () => {
    start({ 'POST /api/import': apiError(400, 'bad_request', 'not a Parley or ChatGPT export') });
    fireEvent.click(await screen.findByRole('button', { name: 'Chat menu' }));
    fireEvent.change(screen.getByLabelText('Chats file to import'), { target: { files: [new File(['[]'], 'bad.json')] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Import of bad\.json failed: not a Parley or ChatGPT export/);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss import report' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('exports a chat from its window menu and from Past chats, named after its title', async () => {
    const fetch = start({
      'GET /api/messages/first': [200, path.map((m) => ({ ...m, chatId: 'first' }))],
      'GET /api/chats': [200, [{ chatId: 'first', title: 'The Sea', updatedAt: '2026-01-01T00:00:00Z', messageCount: 2 }]],
      'GET /api/chats/first/export': [200, { format: 'parley-chat' }],
    });
    await screen.findByText('The keeper lit the lamp.');
    fireEvent.click(screen.getByRole('button', { name: 'Chat menu' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Export Markdown' }));
    await waitFor(() => expect(saveFile).toHaveBeenCalledWith(expect.objectContaining({ type: 'application/json' }), 'the-sea.md'));
    fireEvent.click(screen.getByRole('button', { name: 'Past chats' }));
    fireEvent.click(screen.getByRole('button', { name: 'Export The Sea as JSON' }));
    await waitFor(() => expect(saveFile).toHaveBeenCalledWith(expect.objectContaining({ type: 'application/json' }), 'the-sea.json'));
    expect(fetch.mock.calls.map(([url]) => url).filter((url) => url.includes('/export'))).toEqual([
      '/api/chats/first/export?format=md',
      '/api/chats/first/export?format=json',
    ]);
  });
});
