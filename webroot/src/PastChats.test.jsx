import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import PastChats from './PastChats.jsx';

const chats = [{ chatId: 'c1', title: 'About the sea', updatedAt: '2026-01-01T00:00:00.000Z', messageCount: 4 }];

describe('PastChats', () => {
  afterEach(cleanup);

  it('refreshes when opened, and opens the chat picked', () => {
    const onOpen = vi.fn();
    const onRefresh = vi.fn();
    render(<PastChats chats={chats} onOpen={onOpen} onRefresh={onRefresh} />);
    expect(screen.queryByRole('list', { name: 'Past chats' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Past chats' }));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    const list = screen.getByRole('list', { name: 'Past chats' });
    expect(list.textContent).toContain('4 messages');
    fireEvent.click(screen.getByRole('button', { name: /About the sea/ }));
    expect(onOpen).toHaveBeenCalledWith('c1');
    expect(screen.queryByRole('list', { name: 'Past chats' })).toBeNull();
  });

  it('says so when there are no chats', () => {
    render(<PastChats chats={[]} onOpen={() => {}} onRefresh={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Past chats' }));
    expect(screen.getByText('No chats yet.')).toBeTruthy();
  });
});
