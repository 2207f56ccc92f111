package parley.chat;

import java.util.ArrayList;
import java.util.List;

/** What the model is shown of a chat. */
public final class Context {
  private Context() {}

  /**
   * The conversation cut to at most {@code maxChars} characters of content: the oldest messages
   * are left out first, and the newest (the message being answered) always stays.
   *
   * <p>What is kept is an unbroken run of the newest messages, never an older one past a message
   * that did not fit: the store relies on it to read a long path back only until it holds more
   * than {@code maxChars} ({@code MessageStore#contextOnPath}).
   */
  public static List<ChatMessage> capped(List<ChatMessage> conversation, int maxChars) {
    if (conversation.isEmpty()) {
      return conversation;
    }
    int last = conversation.size() - 1;
    long total = conversation.get(last).content().length();
    int first = last;
    while (first > 0 && total + conversation.get(first - 1).content().length() <= maxChars) {
      first--;
      total += conversation.get(first).content().length();
    }
    return first == 0 ? conversation : new ArrayList<>(conversation.subList(first, conversation.size()));
  }
}
