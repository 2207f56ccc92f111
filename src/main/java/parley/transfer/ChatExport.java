package parley.transfer;

import java.text.Normalizer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import parley.chat.ChatMessage;
import parley.chat.ChatSummary;
import parley.chat.ChatTree;

/**
 * A whole chat as an export shows it: its line of the chat list (title and settings) and every
 * message of every version, in the order they were created, each with its {@code parentId}.
 */
public record ChatExport(ChatSummary chat, List<ChatMessage> messages) {
  private static final int FILE_NAME_CHARS = 60;

  public ChatExport {
    messages = List.copyOf(messages);
  }

  /** When the chat began: its earliest message. */
  public Instant createdAt() {
    return messages.stream().map(ChatMessage::createdAt).min(Instant::compareTo).orElse(chat.updatedAt());
  }

  /** The path the chat shows by default (GET /api/messages without {@code via}): to its latest message. */
  public List<ChatMessage> currentPath() {
    Map<String, String> parents = new HashMap<>();
    messages.forEach(message -> parents.put(message.id(), message.parentId()));
    Map<String, ChatMessage> byId = messages.stream().collect(Collectors.toMap(ChatMessage::id, Function.identity()));
    ChatTree tree = new ChatTree(messages.stream().map(ChatMessage::id).toList(), parents);
    return tree.currentPath().stream().map(byId::get).toList();
  }

  /**
   * A download's file name: the title made safe for any file system and for a header (ASCII letters,
   * digits and dashes, accents dropped), else the chat id, which is safe already.
   */
  public String fileName(String extension) {
    String ascii = Normalizer.normalize(chat.title() == null ? "" : chat.title(), Normalizer.Form.NFKD)
        .replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+", "");
    if (ascii.length() > FILE_NAME_CHARS) {
      ascii = ascii.substring(0, FILE_NAME_CHARS);
    }
    ascii = ascii.replaceAll("-+$", "");
    return (ascii.isEmpty() ? chat.chatId().value() : ascii) + "." + extension;
  }
}
