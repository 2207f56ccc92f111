package parley.chat;

/**
 * The model a new reply is to be answered by, as far as it is known before the chat is read: the
 * one the sender asked for, else the chat's own, else {@code fallback} (the first one listed).
 * The store, which reads the chat as it writes the exchange, settles it ({@link #settle}); whether
 * the chat's own model is still offered only the caller can tell afterwards.
 */
public record ReplyModel(String requested, String fallback) {
  public String settle(String chatModel) {
    return requested != null ? requested : chatModel != null ? chatModel : fallback;
  }
}
