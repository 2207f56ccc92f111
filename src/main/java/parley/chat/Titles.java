package parley.chat;

import java.util.List;

/** Asking a model to name a chat, and making what it answers a title: short, one line, no quotes. */
public final class Titles {
  public static final int MAX_CHARS = ChatSummary.TITLE_CHARS;
  private static final int EXCERPT_CHARS = 1500;

  public static final String INSTRUCTION = "You name conversations. Reply with a title for the conversation below: "
      + "at most six words, in the conversation's language, on one line, without quotes, without a full stop, and nothing else.";

  private Titles() {}

  /** What the model is shown: the start of the person's message and of the reply. */
  public static String excerpt(String question, String answer) {
    return "Person: " + cut(question) + "\n\nAssistant: " + cut(answer);
  }

  private static String cut(String text) {
    String stripped = text.strip();
    return stripped.length() <= EXCERPT_CHARS ? stripped : stripped.substring(0, EXCERPT_CHARS) + "…";
  }

  /**
   * The model's answer as a title: its first non-empty line, without markdown marks, quotes, a
   * "Title:" label or a trailing full stop, cut at a word; null when nothing is left.
   */
  public static String clean(String answer) {
    if (answer == null) {
      return null;
    }
    String line = answer.lines().map(String::strip).filter(text -> !text.isEmpty()).findFirst().orElse("");
    line = line.replaceAll("[\"'`“”‘’«»*_#]", "").replaceAll("\\s+", " ").strip();
    line = line.replaceFirst("^(?i)title\\s*:\\s*", "");
    line = line.replaceAll("[.。:;,]+$", "").strip();
    if (line.isEmpty()) {
      return null;
    }
    return ChatSummary.titleFrom(line);
  }

  /** The person's message a reply answered: the last user message of its conversation. */
  public static String question(List<ChatMessage> conversation) {
    for (int i = conversation.size() - 1; i >= 0; i--) {
      if (conversation.get(i).sender() == Sender.USER) {
        return conversation.get(i).content();
      }
    }
    return "";
  }
}
