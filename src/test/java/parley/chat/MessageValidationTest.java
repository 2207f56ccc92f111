package parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parley.chat.ErrorCode;

/** The domain rules hold wherever a message comes from (HTTP or the event bus). */
class MessageValidationTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "chat-1", "Chat_2", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void acceptsSafeChatIds(String id) {
    assertThat(ChatId.parse(id).value()).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a.b", "a/b", "$where", "a b", "é", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void rejectsOtherChatIds(String id) {
    assertThatThrownBy(() -> ChatId.parse(id)).isInstanceOf(Rejection.class).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void rejectsChatIdsThatAreNotStrings() {
    assertThatThrownBy(() -> ChatId.parse(new JsonObject().put("$ne", 1))).hasMessageContaining("must be a string");
    assertThatThrownBy(() -> ChatId.parse(12)).hasMessageContaining("must be a string");
  }

  @Test
  void newMessageAcceptsUserOrNoSender() {
    NewMessage plain = NewMessage.fromJson(new JsonObject().put("chatId", "c").put("content", "hi"));
    NewMessage user = NewMessage.fromJson(new JsonObject().put("chatId", "c").put("content", "hi").put("sender", "user"));
    assertThat(plain).isEqualTo(user).isEqualTo(new NewMessage(new ChatId("c"), "hi"));
  }

  @Test
  void newMessageRejectsBotSenderAndBadContent() {
    assertThatThrownBy(() -> NewMessage.fromJson(new JsonObject().put("chatId", "c").put("content", "hi").put("sender", "bot")))
        .hasMessageContaining("sender");
    assertThatThrownBy(() -> NewMessage.fromJson(new JsonObject().put("chatId", "c").put("content", " ")))
        .hasMessageContaining("non-empty");
    assertThatThrownBy(() -> NewMessage.fromJson(new JsonObject().put("chatId", "c").put("content", "x".repeat(NewMessage.MAX_CONTENT_CHARS + 1))))
        .hasMessageContaining("at most 32768");
    assertThat(NewMessage.fromJson(new JsonObject().put("chatId", "c").put("content", "x".repeat(NewMessage.MAX_CONTENT_CHARS))).content())
        .hasSize(NewMessage.MAX_CONTENT_CHARS);
    assertThatThrownBy(() -> NewMessage.fromJson(new JsonObject().put("chatId", "c").put("content", "hi").putNull("sender")))
        .as("an explicit null is not a sender left out").hasMessageContaining("sender");
  }

  @Test
  void contentIsCountedInCharactersNotJavaChars() {
    String grin = "\uD83D\uDE00";
    String atTheLimit = grin.repeat(NewMessage.MAX_CONTENT_CHARS);
    assertThat(NewMessage.fromJson(new JsonObject().put("chatId", "c").put("content", atTheLimit)).content()).isEqualTo(atTheLimit);
    assertThatThrownBy(() -> NewMessage.fromJson(new JsonObject().put("chatId", "c").put("content", atTheLimit + "x")))
        .hasMessageContaining("at most 32768 characters");
  }

  @Test
  void historyQueryChecksLimitAndBefore() {
    assertThat(HistoryQuery.fromParams("c", "10", "abc", null).limit()).isEqualTo(10);
    assertThatThrownBy(() -> HistoryQuery.fromParams("c", "0", null, null)).hasMessageContaining("limit");
    assertThatThrownBy(() -> HistoryQuery.fromParams("c", "1001", null, null)).hasMessageContaining("limit");
    assertThatThrownBy(() -> HistoryQuery.fromParams("c", null, "{\"$gt\":1}", null)).hasMessageContaining("before");
    assertThatThrownBy(() -> HistoryQuery.fromJson(new JsonObject().put("chatId", "c").put("limit", "5"))).hasMessageContaining("limit");
  }

  @Test
  void titleIsTheFirstMessageOnOneLineCutAtAWord() {
    assertThat(ChatSummary.titleFrom("  Hello\n\nthere ")).isEqualTo("Hello there");
    String title = ChatSummary.titleFrom("word ".repeat(40));
    assertThat(title).endsWith("word…").hasSizeLessThanOrEqualTo(ChatSummary.TITLE_CHARS + 1);
  }

  @Test
  void messageTimestampsHaveFixedWidthSoTheySortAsInstants() {
    assertThat(ChatMessage.timestamp(java.time.Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
  }
}
