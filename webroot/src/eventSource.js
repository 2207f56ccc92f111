// The one place the app opens a Server-Sent Events stream: a seam that tests replace with vi.mock.
export function openEventSource(url) {
  return new EventSource(url);
}
