package parley.transfer;

import parley.chat.ChatId;

/** Ids an import gives, in the order it asks for them: {@code chat-1, …} and {@code m001, …}. */
final class CountingIds implements ImportIds {
  private int chats;
  private int messages;

  @Override
  public ChatId chat() {
    return new ChatId("chat-" + ++chats);
  }

  @Override
  public String message() {
    return String.format("m%03d", ++messages);
  }
}
