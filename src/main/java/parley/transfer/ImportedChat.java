package parley.transfer;

import java.time.Instant;
import java.util.List;
import parley.chat.ChatId;

/**
 * A chat read from an import file, checked whole and given new ids, ready to be stored as it is.
 *
 * @param named whether the title came from the file (then no model renames the chat) rather than
 *     from its first message
 * @param messages in the order they are to be created: each after its parent, and the last one the
 *     end of the path the chat shows by default
 */
public record ImportedChat(ChatId chatId, String title, boolean named, String systemPrompt, String model, Double temperature,
    List<ImportedMessage> messages) {

  public ImportedChat {
    messages = List.copyOf(messages);
  }

  /** When the chat was last active: its latest message. */
  public Instant updatedAt() {
    Instant latest = Instant.EPOCH;
    for (ImportedMessage message : messages) {
      if (message.createdAt().isAfter(latest)) {
        latest = message.createdAt();
      }
    }
    return latest;
  }
}
