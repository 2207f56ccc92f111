import { useCallback, useEffect, useState } from 'react';
import AccountMenu from './AccountMenu.jsx';
import BroadcastBar from './BroadcastBar.jsx';
import ChatWindow from './ChatWindow.jsx';
import HelpPanel from './HelpPanel.jsx';
import NavTabs from './NavTabs.jsx';
import PastChats from './PastChats.jsx';
import SearchPanel from './SearchPanel.jsx';
import TokensPage from './TokensPage.jsx';
import { TransferReport } from './Transfer.jsx';
import UsersPage from './UsersPage.jsx';
import { listChats, listModels, updateChat } from './api.js';
import { useShortcuts } from './shortcuts.js';
import { useTransfer } from './useTransfer.js';
import { useWindows } from './useWindows.js';

const headerButton = 'rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50';

// The app once someone may use it: the chat windows, and when signed in (me set) the account's
// pages. Without accounts (me null) it is the chat windows alone, as Parley always was.
export default function Workspace({ me, page = 'chats', pages = [], onNavigate, onSignOut, onReplyEnded, accountsFromProvider = false }) {
  const { windows, panel, request, open, close, openNew, activate, command, openPanel, closePanel } = useWindows(
    me ? `parley.windows.${me.user.id}` : 'parley.windows',
  );
  const [chats, setChats] = useState([]);
  const [models, setModels] = useState([]);
  const [broadcast, setBroadcast] = useState(null);

  const refreshChats = useCallback(() => {
    listChats().then((list) => setChats(list ?? [])).catch(() => setChats([]));
  }, []);

  useEffect(refreshChats, [refreshChats]);
  useEffect(() => {
    listModels().then((list) => setModels(list ?? [])).catch(() => setModels([]));
  }, []);

  const changeChat = useCallback((chatId, changes) => updateChat(chatId, changes).then(refreshChats).catch(() => {}), [refreshChats]);

  const replyEnded = useCallback(() => {
    refreshChats();
    onReplyEnded?.();
  }, [refreshChats, onReplyEnded]);

  const transfer = useTransfer(refreshChats);

  const byId = Object.fromEntries(chats.map((chat) => [chat.chatId, chat]));
  const onChats = page === 'chats';

  // With a panel open only Esc (closing it) and Ctrl+K count; the panel has the keys.
  useShortcuts(onChats, (action) => {
    if (action === 'search') openPanel('search');
    else if (panel) {
      if (action === 'stop') closePanel();
    } else if (action === 'help') openPanel('help');
    else if (action === 'newChat') openNew();
    else command(action);
  });

  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-10 flex items-center gap-3 border-b border-slate-200 bg-white/90 px-4 py-2 backdrop-blur">
        <h1 className="text-lg font-bold text-slate-900">Parley</h1>
        {me && <NavTabs pages={pages} page={page} onNavigate={onNavigate} />}
        <div className="flex-1" />
        {onChats && (
          <>
            <button type="button" onClick={() => openPanel('search')} className={headerButton} aria-keyshortcuts="Control+K">
              Search <span className="text-xs text-slate-400">Ctrl K</span>
            </button>
            <button type="button" onClick={() => openPanel('help')} className={headerButton} aria-label="Keyboard shortcuts" aria-keyshortcuts="?">
              ?
            </button>
            <PastChats
              chats={chats}
              onOpen={open}
              onRefresh={refreshChats}
              onChange={changeChat}
              onExport={transfer.exportChat}
              onImport={transfer.importFile}
            />
            <button type="button" onClick={openNew} className="rounded-lg bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-500">
              New chat
            </button>
          </>
        )}
        {me && <AccountMenu me={me} onSignOut={onSignOut} />}
      </header>
      {onChats && <TransferReport state={transfer.state} onOpen={open} onDismiss={transfer.dismiss} />}
      {onChats && windows.length > 1 && (
        <BroadcastBar windowCount={windows.length} onSend={(text) => setBroadcast((last) => ({ id: (last?.id ?? 0) + 1, text }))} />
      )}
      {/* Windows stay mounted on the other pages, so their replies keep streaming in. */}
      <main hidden={!onChats} className="grid grid-cols-1 gap-4 p-4 md:grid-cols-2 xl:grid-cols-3">
        {windows.map((chatId) => (
          <ChatWindow
            key={chatId}
            chatId={chatId}
            chat={byId[chatId]}
            models={models}
            broadcast={broadcast}
            request={request}
            onClose={() => close(chatId)}
            onActivate={() => activate(chatId)}
            onExport={(format, title) => transfer.exportChat(chatId, format, title)}
            onImport={transfer.importFile}
            onReplyStarted={refreshChats}
            onReplyEnded={replyEnded}
            onChatChanged={refreshChats}
          />
        ))}
        {windows.length === 0 && (
          <p className="col-span-full py-16 text-center text-slate-500">No chat open. Start a new one or reopen a past chat.</p>
        )}
      </main>
      {onChats && panel === 'search' && <SearchPanel onOpen={(result) => open(result.chatId, result.messageId)} onClose={closePanel} />}
      {onChats && panel === 'help' && <HelpPanel onClose={closePanel} />}
      {page === 'tokens' && <TokensPage />}
      {page === 'users' && <UsersPage me={me} accountsFromProvider={accountsFromProvider} />}
    </div>
  );
}
