package parley.transfer;

import parley.chat.ChatMessage;
import parley.chat.Sender;

/**
 * A chat's current path as Markdown, to read or keep: the title as a heading, then each message
 * under its author ({@code You}, or the reply's model, or {@code Assistant} when it is not known),
 * its text as it was written (already Markdown), with blank lines between.
 */
public final class MarkdownExport {
  static final String YOU = "You";
  static final String ASSISTANT = "Assistant";

  private MarkdownExport() {}

  public static String write(ChatExport export) {
    String title = export.chat().title() == null || export.chat().title().isBlank()
        ? export.chat().chatId().value()
        : export.chat().title();
    StringBuilder markdown = new StringBuilder("# ").append(title).append("\n");
    for (ChatMessage message : export.currentPath()) {
      markdown.append("\n**").append(authorOf(message)).append("**\n\n").append(message.content().stripTrailing()).append("\n");
    }
    return markdown.toString();
  }

  private static String authorOf(ChatMessage message) {
    if (message.sender() == Sender.USER) {
      return YOU;
    }
    return message.model() == null || message.model().isBlank() ? ASSISTANT : message.model();
  }
}
