import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ChatWindow from './ChatWindow.jsx';
import { openEventSource } from './eventSource.js';
import { FakeEventSource } from './testing/FakeEventSource.js';
import { ListMeasurements } from './testing/ListMeasurements.jsx';

vi.mock('./eventSource.js', () => ({ openEventSource: vi.fn() }));

function json(status, body) {
  return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status }));
}

const message = { id: 'u1', chatId: 'c1', sender: 'user', content: 'Hello bot', status: 'complete', createdAt: '2026-01-01T00:00:00.000Z' };
const reply = { id: 'b1', chatId: 'c1', sender: 'bot', content: '', status: 'streaming', createdAt: '2026-01-01T00:00:00.000Z' };

describe('ChatWindow', () => {
  let fetchMock;
  beforeEach(() => {
    FakeEventSource.instances = [];
    openEventSource.mockImplementation((url) => new FakeEventSource(url));
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('sends with Enter, shows the reply as it streams, and offers Stop only while streaming', async () => {
    fetchMock.mockImplementation((url, options) => {
      if (url.startsWith('/api/messages/c1')) return json(200, []);
      if (url === '/api/messages' && options.method === 'POST') return json(201, { message, reply });
      if (url === '/api/stream/c1/terminate') return json(200, { terminated: true });
      throw new Error(`unexpected ${url}`);
    });
    render(<ChatWindow chatId="c1" onClose={() => {}} />, { wrapper: ListMeasurements });
    await screen.findByText('Say something to start the chat.');

    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'Hello bot' } });
    fireEvent.keyDown(box, { key: 'Enter' });

    await screen.findByRole('button', { name: 'Stop' });
    expect(screen.getByText('Hello bot')).toBeTruthy();
    const source = FakeEventSource.instances[0];
    expect(source.url).toBe('/api/stream/c1');
    source.emit(1, 'Hi ');
    source.emit(2, '**there**');
    expect(screen.getByText('there').tagName).toBe('STRONG');

    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledWith('/api/stream/c1/terminate', { method: 'POST' }));
    source.end({ status: 'terminated', messageId: 'b1' });
    expect(source.closed).toBe(true);
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(screen.getByText('Stopped')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
  });

  it('sends a message entered while the history is still loading once it has loaded', async () => {
    let historyLoaded;
    fetchMock.mockImplementation((url, options) => {
      if (url.startsWith('/api/messages/c1')) return new Promise((resolve) => { historyLoaded = () => resolve(new Response('[]', { status: 200 })); });
      if (url === '/api/messages' && options.method === 'POST') return json(201, { message, reply });
      throw new Error(`unexpected ${url}`);
    });
    render(<ChatWindow chatId="c1" onClose={() => {}} />, { wrapper: ListMeasurements });
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'Hello bot' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(fetchMock.mock.calls.filter(([url]) => url === '/api/messages')).toHaveLength(0);

    historyLoaded();
    await screen.findByRole('button', { name: 'Stop' });
    const posts = fetchMock.mock.calls.filter(([url]) => url === '/api/messages');
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0][1].body).content).toBe('Hello bot');
    expect(box.value).toBe('');
  });

  it('keeps a message entered while loading in the box when the chat turns out to be streaming', async () => {
    let historyLoaded;
    fetchMock.mockImplementation((url) => {
      if (url.startsWith('/api/messages/c1')) {
        return new Promise((resolve) => { historyLoaded = () => resolve(new Response(JSON.stringify([message, reply]), { status: 200 })); });
      }
      throw new Error(`unexpected ${url}`);
    });
    render(<ChatWindow chatId="c1" onClose={() => {}} />, { wrapper: ListMeasurements });
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'next question' } });
    fireEvent.keyDown(box, { key: 'Enter' });

    historyLoaded();
    await screen.findByRole('button', { name: 'Stop' });
    FakeEventSource.instances[0].end({ status: 'complete', messageId: 'b1' });
    await screen.findByRole('button', { name: 'Send' });
    expect(fetchMock.mock.calls.filter(([url]) => url === '/api/messages')).toHaveLength(0);
    expect(box.value).toBe('next question');
  });

  it('keeps Shift+Enter as a new line instead of sending', async () => {
    fetchMock.mockImplementation(() => json(200, []));
    render(<ChatWindow chatId="c1" onClose={() => {}} />, { wrapper: ListMeasurements });
    await screen.findByText('Say something to start the chat.');
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('shows an API error in the window and keeps the draft', async () => {
    fetchMock.mockImplementation((url) =>
      url === '/api/messages'
        ? json(409, { error: { message: 'a reply is still streaming in this chat' } })
        : json(200, []),
    );
    render(<ChatWindow chatId="c1" onClose={() => {}} />, { wrapper: ListMeasurements });
    await screen.findByText('Say something to start the chat.');
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'again' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toContain('still streaming');
    expect(box.value).toBe('again');
  });

  it('picks up a reply that is already streaming when it opens', async () => {
    fetchMock.mockImplementation(() => json(200, [message, { ...reply, content: 'Hi th' }]));
    render(<ChatWindow chatId="c1" onClose={() => {}} />, { wrapper: ListMeasurements });
    await screen.findByRole('button', { name: 'Stop' });
    const source = FakeEventSource.instances[0];
    source.emit(1, 'Hi ');
    source.emit(2, 'there');
    source.end({ status: 'complete', messageId: 'b1' });
    expect(screen.getByText('Hi there')).toBeTruthy();
  });

  it('renders model HTML as text, never as markup', async () => {
    fetchMock.mockImplementation(() =>
      json(200, [message, { ...reply, status: 'complete', content: 'safe <img src=x onerror="alert(1)"> text' }]),
    );
    const { container } = render(<ChatWindow chatId="c1" onClose={() => {}} />, { wrapper: ListMeasurements });
    await screen.findByText(/safe/);
    expect(container.querySelector('img')).toBeNull();
  });

  it('disables Stop while stopping, and returns to Send when terminate says nothing was running', async () => {
    let history = [message, { ...reply, content: 'Hi' }];
    let answerTerminate;
    fetchMock.mockImplementation((url) => {
      if (url === '/api/stream/c1/terminate') return new Promise((resolve) => (answerTerminate = resolve));
      return json(200, history);
    });
    render(<ChatWindow chatId="c1" onClose={() => {}} />, { wrapper: ListMeasurements });
    const stop = await screen.findByRole('button', { name: 'Stop' });
    fireEvent.click(stop);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Stop' }).disabled).toBe(true));
    expect(screen.getByRole('status').textContent).toContain('stopping');

    history = [message, { ...reply, content: 'Hi there', status: 'complete' }];
    answerTerminate(new Response(JSON.stringify({ terminated: false }), { status: 200 }));
    await screen.findByRole('button', { name: 'Send' });
    expect(FakeEventSource.instances[0].closed).toBe(true);
    expect(screen.getByText('Hi there')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('opens at a message a search found, paging back to it, and marks it', async () => {
    const path = Array.from({ length: 60 }, (_, i) => ({ id: `m${i}`, chatId: 'c1', sender: i % 2 ? 'bot' : 'user', content: `text ${i}`, status: 'complete' }));
    fetchMock.mockImplementation((url) => {
      const params = new URL(url, 'http://parley').searchParams;
      const before = params.get('before');
      const end = before ? path.findIndex((m) => m.id === before) : path.length;
      return json(200, path.slice(Math.max(0, end - Number(params.get('limit'))), end));
    });
    const request = { seq: 1, chatId: 'c1', type: 'show', messageId: 'm3' };
    const { container } = render(<ChatWindow chatId="c1" request={request} onClose={() => {}} />, { wrapper: ListMeasurements });
    await waitFor(() => expect(container.querySelector('[data-found]')?.getAttribute('data-message-id')).toBe('m3'));
    const urls = fetchMock.mock.calls.map(([url]) => url);
    expect(urls).toEqual(['/api/messages/c1?limit=50&via=m3', '/api/messages/c1?limit=1000&before=m10']);
  });

  it('focuses its message box and stops its reply when the workspace asks', async () => {
    fetchMock.mockImplementation((url) => {
      if (url === '/api/stream/c1/terminate') return json(200, { terminated: true });
      return json(200, [message, { ...reply, content: 'Hi' }]);
    });
    const { rerender } = render(<ChatWindow chatId="c1" onClose={() => {}} />, { wrapper: ListMeasurements });
    await screen.findByRole('button', { name: 'Stop' });
    rerender(<ChatWindow chatId="c1" request={{ seq: 1, chatId: 'c1', type: 'focusInput' }} onClose={() => {}} />);
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));
    rerender(<ChatWindow chatId="c1" request={{ seq: 2, chatId: 'other', type: 'stop' }} onClose={() => {}} />);
    rerender(<ChatWindow chatId="c1" request={{ seq: 3, chatId: 'c1', type: 'stop' }} onClose={() => {}} />);
    await waitFor(() => expect(fetchMock).toHaveBeenCalledWith('/api/stream/c1/terminate', { method: 'POST' }));
    expect(fetchMock.mock.calls.filter(([url]) => url.endsWith('/terminate'))).toHaveLength(1);
  });
});
