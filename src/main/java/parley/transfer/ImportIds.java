package parley.transfer;

import parley.chat.ChatId;
import parley.chat.MessageIds;

/** Where an import's new ids come from: a file's own ids are never reused. */
public interface ImportIds {
  ChatId chat();

  /** Asked in creation order: message ids grow, so a chat's order is its ids' order too. */
  String message();

  /** What a node uses: random chat ids, and message ids as every message gets them. */
  ImportIds NEW = new ImportIds() {
    @Override
    public ChatId chat() {
      return ChatId.random();
    }

    @Override
    public String message() {
      return MessageIds.next();
    }
  };
}
