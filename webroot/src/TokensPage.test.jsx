import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import TokensPage from './TokensPage.jsx';
import { apiError, removing, stubFetch } from './testing/fakeServer.js';

const made = { id: 't2', name: 'nightly', token: 'parley_s3cr3t', createdAt: '2026-02-01T10:00:00.000Z' };

describe('TokensPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  function serve() {
    const tokens = [{ id: 't1', name: 'laptop', createdAt: '2026-01-01T10:00:00.000Z', lastUsedAt: null }];
    return stubFetch({
      'GET /api/tokens': () => [200, tokens],
      'POST /api/tokens': ({ name }) => {
        if (name === 'taken') return apiError(400, 'bad_request', 'That name is in use.');
        tokens.push({ id: made.id, name, createdAt: made.createdAt, lastUsedAt: null });
        return [201, { ...made, name }];
      },
      'DELETE /api/tokens/t1': removing(tokens, 't1'),
    });
  }

  it('lists tokens without their secrets', async () => {
    serve();
    render(<TokensPage />);
    const table = await screen.findByRole('table', { name: 'Your tokens' });
    expect(within(table).getByText('laptop')).toBeTruthy();
    expect(within(table).getByText('Never')).toBeTruthy();
  });

  it('creates a token and shows its secret once, with a Copy button', async () => {
    const fetch = serve();
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    render(<TokensPage />);
    await screen.findByRole('table', { name: 'Your tokens' });
    fireEvent.change(screen.getByLabelText('Token name'), { target: { value: ' nightly ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));

    const secret = await screen.findByLabelText('Token secret');
    expect(secret.value).toBe('parley_s3cr3t');
    expect(fetch.requests('POST', '/api/tokens')).toEqual([{ name: 'nightly' }]);
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Your tokens' })).getByText('nightly')).toBeTruthy());
    expect(screen.getByLabelText('Token name').value).toBe('');

    fireEvent.click(screen.getByRole('button', { name: 'Copy token' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('parley_s3cr3t'));
    expect((await screen.findByRole('status')).textContent).toBe('Copied.');

    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByLabelText('Token secret')).toBeNull();
    expect(document.body.textContent).not.toContain('parley_s3cr3t');
  });

  it("shows the server's message when creating fails", async () => {
    serve();
    render(<TokensPage />);
    await screen.findByRole('table', { name: 'Your tokens' });
    fireEvent.change(screen.getByLabelText('Token name'), { target: { value: 'taken' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect((await screen.findByRole('alert')).textContent).toBe('That name is in use.');
    expect(screen.queryByLabelText('Token secret')).toBeNull();
  });

  it('revokes a token', async () => {
    const fetch = serve();
    render(<TokensPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke token laptop' }));
    await screen.findByText('No tokens yet.');
    expect(fetch.mock.calls.some(([url, options]) => url === '/api/tokens/t1' && options.method === 'DELETE')).toBe(true);
  });
});
