import { act } from '@testing-library/react';

// A stand-in for the browser's EventSource that a test drives by hand. Tests install it with
//   vi.mock('./eventSource.js', () => ({ openEventSource: vi.fn() }));
//   openEventSource.mockImplementation((url) => new FakeEventSource(url));
export class FakeEventSource {
  static instances = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.listeners = {};
    this.closed = false;
    FakeEventSource.instances.push(this);
  }
  addEventListener(type, listener) {
    this.listeners[type] = listener;
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(seq, text) {
    act(() => this.onmessage({ data: text, lastEventId: String(seq) }));
  }
  end(data) {
    act(() => this.listeners.end({ data: JSON.stringify(data) }));
  }
}
