import { useCallback, useReducer } from 'react';
import * as api from './api.js';
import { saveFile } from './download.js';
import { exportFileName, initialTransfer, isImporting, transferReducer } from './transferState.js';

// Exporting a chat to a file and importing files as new chats; `onImported` is told when chats
// were made (the list of past chats then reads them).
export function useTransfer(onImported) {
  const [state, dispatch] = useReducer(transferReducer, initialTransfer);

  const exportChat = useCallback(async (chatId, format, title) => {
    try {
      saveFile(await api.exportChat(chatId, format), exportFileName(title, chatId, format));
    } catch (error) {
      dispatch({ type: 'exportFailed', error: `Export failed: ${error.message}` });
    }
  }, []);

  const importFile = useCallback(
    async (file) => {
      if (!file || isImporting(state)) return;
      dispatch({ type: 'importStarted', fileName: file.name });
      try {
        const { chats } = await api.importChats(file);
        dispatch({ type: 'importDone', chats: chats ?? [] });
        onImported?.();
      } catch (error) {
        dispatch({ type: 'importFailed', error: error.message });
      }
    },
    [state, onImported],
  );

  const dismiss = useCallback(() => dispatch({ type: 'dismissed' }), []);
  return { state, exportChat, importFile, dismiss };
}
