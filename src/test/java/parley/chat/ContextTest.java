package parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's context is capped: the oldest messages go first, the message being answered always stays. */
class ContextTest {
  private static final ChatId CHAT = new ChatId("c");

  private static ChatMessage message(String content) {
    return new ChatMessage(MessageIds.next(), CHAT, Sender.USER, content, MessageStatus.COMPLETE, Instant.EPOCH);
  }

  @Test
  void theOldestMessagesGoFirst() {
    List<ChatMessage> conversation = List.of(message("a".repeat(40)), message("b".repeat(30)), message("c".repeat(20)), message("new"));
    assertThat(Context.capped(conversation, 60)).extracting(ChatMessage::content)
        .containsExactly("b".repeat(30), "c".repeat(20), "new");
    assertThat(Context.capped(conversation, 1_000)).isEqualTo(conversation);
  }

  @Test
  void theNewMessageStaysEvenAloneOverTheCap() {
    List<ChatMessage> conversation = List.of(message("earlier"), message("n".repeat(500)));
    assertThat(Context.capped(conversation, 100)).extracting(ChatMessage::content).containsExactly("n".repeat(500));
  }
}
