import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import UsersPage from './UsersPage.jsx';
import { apiError, removing, stubFetch } from './testing/fakeServer.js';

const me = { user: { id: 'u0', username: 'root', role: 'admin' } };
const period = (replies, promptTokens, completionTokens) => ({ replies, promptTokens, completionTokens });

describe('UsersPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  function serve() {
    const users = [
      { id: 'u0', username: 'root', role: 'admin', createdAt: '2026-01-01T00:00:00.000Z', usage: { today: period(0, 0, 0), month: period(1, 10, 5) } },
      { id: 'u1', username: 'ada', role: 'user', createdAt: '2026-01-02T00:00:00.000Z', usage: { today: period(1, 1000, 500), month: period(12, 20000, 4000) } },
    ];
    return stubFetch({
      'GET /api/users': () => [200, users],
      'POST /api/users': ({ username, role = 'user' }) => {
        if (username === 'ada') return apiError(409, 'username_taken', 'That username is taken.');
        const user = { id: 'u2', username, role, createdAt: '2026-02-01T00:00:00.000Z' };
        users.push({ ...user, usage: { today: period(0, 0, 0), month: period(0, 0, 0) } });
        return [201, { user }];
      },
      'DELETE /api/users/u1': removing(users, 'u1'),
    });
  }

  it('lists every account with its usage today and this month', async () => {
    serve();
    render(<UsersPage me={me} />);
    const table = await screen.findByRole('table', { name: 'Users' });
    const row = within(table).getByText('ada').closest('tr');
    expect(within(row).getByText('user')).toBeTruthy();
    expect(within(row).getByText('1 reply · 1,500 tokens')).toBeTruthy();
    expect(within(row).getByText('12 replies · 24,000 tokens')).toBeTruthy();
    // No deleting yourself.
    expect(screen.queryByRole('button', { name: 'Delete user root' })).toBeNull();
  });

  it('offers no form to make accounts when they come from the identity provider', async () => {
    serve();
    render(<UsersPage me={me} accountsFromProvider />);
    await screen.findByRole('table', { name: 'Users' });
    expect(screen.queryByRole('form', { name: 'Create user' })).toBeNull();
    expect(screen.getByText(/Accounts come from your identity provider/)).toBeTruthy();
  });

  it('creates a user with a role, checking the rules first and showing the server message', async () => {
    const fetch = serve();
    render(<UsersPage me={me} />);
    await screen.findByRole('table', { name: 'Users' });
    const form = screen.getByRole('form', { name: 'Create user' });
    const fill = (username, password) => {
      fireEvent.change(within(form).getByLabelText('Username'), { target: { value: username } });
      fireEvent.change(within(form).getByLabelText('Password'), { target: { value: password } });
    };

    fill('Bad Name', 'password one');
    fireEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    expect((await within(form).findByRole('alert')).textContent).toMatch(/2 to 32 characters/);
    fill('ada', 'password one');
    fireEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toBe('That username is taken.'));

    fill('bob', 'password two');
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'admin' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    expect((await within(form).findByRole('status')).textContent).toBe('Created bob.');
    expect(fetch.requests('POST', '/api/users').at(-1)).toEqual({ username: 'bob', password: 'password two', role: 'admin' });
    await within(screen.getByRole('table', { name: 'Users' })).findByText('bob');
    expect(within(form).getByLabelText('Username').value).toBe('');
  });

  it('deletes a user only after a confirmation', async () => {
    const fetch = serve();
    render(<UsersPage me={me} />);
    const deletes = () => fetch.mock.calls.filter(([, options]) => options?.method === 'DELETE');

    fireEvent.click(await screen.findByRole('button', { name: 'Delete user ada' }));
    expect(screen.getByText('Delete ada and all their chats?')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel delete user ada' }));
    expect(deletes()).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Delete user ada' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm delete user ada' }));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Users' })).queryByText('ada')).toBeNull());
    expect(deletes().map(([url]) => url)).toEqual(['/api/users/u1']);
  });
});
