// Export and import as the workspace shows them, as a pure reducer: what is under way and the
// report of the last one (the chats an import made, or what went wrong), until dismissed.
//
//   idle | done | failed ──importStarted──▶ importing ──importDone──▶ done (chats made)
//                                            importing ──importFailed──▶ failed (the error)
//   any ──exportFailed──▶ failed;  done | failed ──dismissed──▶ idle

export const initialTransfer = { phase: 'idle', fileName: null, chats: [], error: null };

export const isImporting = (state) => state.phase === 'importing';

export function transferReducer(state, action) {
  switch (action.type) {
    case 'importStarted':
      return isImporting(state) ? state : { phase: 'importing', fileName: action.fileName, chats: [], error: null };
    case 'importDone':
      return { ...state, phase: 'done', chats: action.chats, error: null };
    case 'importFailed':
      return { ...state, phase: 'failed', chats: [], error: action.error };
    case 'exportFailed':
      return isImporting(state) ? state : { phase: 'failed', fileName: null, chats: [], error: action.error };
    case 'dismissed':
      return isImporting(state) ? state : initialTransfer;
    default:
      throw new Error(`unknown action ${action.type}`);
  }
}

// The name a chat's export is saved under: its title made a file name, else its id.
export function exportFileName(title, chatId, format) {
  const slug = String(title ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || chatId}.${format}`;
}
