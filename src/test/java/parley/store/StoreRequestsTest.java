package parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatSettings;
import parley.chat.Exchange;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.chat.Rejection;
import parley.chat.ReplyModel;
import parley.chat.Sender;
import parley.chat.TokenUsage;
import parley.store.StoreRequests.BeginExchange;
import parley.store.StoreRequests.Checkpoint;
import parley.store.StoreRequests.DeleteChat;
import parley.store.StoreRequests.Finish;
import parley.store.StoreRequests.Interrupt;
import parley.store.StoreRequests.ReplyModelChange;

/** Each of the store's requests comes back from its JSON as it went in, with the field names nodes already use. */
class StoreRequestsTest {
  private static final ChatId CHAT = new ChatId("c1");

  @Test
  void beginExchange() {
    BeginExchange begin = new BeginExchange(new NewMessage(CHAT, "hi", NewMessage.Parent.ROOT, "p/m"), "u1", "m1", "r1",
        new ReplyModel("p/m", "p/first"), 20);
    assertThat(begin.toJson()).isEqualTo(new JsonObject()
        .put("message", new JsonObject().put("chatId", "c1").put("content", "hi").put("parentId", null).put("model", "p/m"))
        .put("ownerId", "u1").put("messageId", "m1").put("replyId", "r1").put("model", "p/m").put("fallbackModel", "p/first")
        .put("contextMaxChars", 20));
    assertThat(BeginExchange.fromJson(begin.toJson())).isEqualTo(begin);
  }

  @Test
  void replyModelChange() {
    ReplyModelChange change = new ReplyModelChange(CHAT, "u1", "r1", "p/gone", "p/first");
    assertThat(change.toJson()).isEqualTo(new JsonObject().put("chatId", "c1").put("ownerId", "u1").put("replyId", "r1")
        .put("goneModel", "p/gone").put("model", "p/first"));
    assertThat(ReplyModelChange.fromJson(change.toJson())).isEqualTo(change);
  }

  @Test
  void theExchangeAnswerCarriesItsHistoryAndTheChatsSettings() {
    Instant now = Instant.parse("2026-01-02T03:04:05.678Z");
    ChatMessage before = new ChatMessage("m0", CHAT, Sender.BOT, "earlier", MessageStatus.COMPLETE, now);
    ChatMessage message = new ChatMessage("m1", CHAT, Sender.USER, "hi", MessageStatus.COMPLETE, now);
    ChatMessage reply = new ChatMessage("r1", CHAT, Sender.BOT, "", MessageStatus.STREAMING, now);
    Exchange.WithHistory begun = new Exchange.WithHistory(new Exchange(message, reply), List.of(before),
        new ChatSettings("u1", "p/m", "Be brief.", 0.3));
    assertThat(StoreRequests.exchangeToJson(begun).getJsonArray("history")).hasSize(1);
    assertThat(StoreRequests.exchangeFromJson(StoreRequests.exchangeToJson(begun))).isEqualTo(begun);
  }

  @Test
  void checkpoint() {
    Checkpoint checkpoint = new Checkpoint("r1", "Hel");
    assertThat(checkpoint.toJson()).isEqualTo(new JsonObject().put("replyId", "r1").put("content", "Hel"));
    assertThat(Checkpoint.fromJson(checkpoint.toJson())).isEqualTo(checkpoint);
  }

  @Test
  void finish() {
    Finish finish = new Finish("r1", CHAT, "u1", "Hello.", MessageStatus.TERMINATED, new TokenUsage(12, 3));
    assertThat(finish.toJson()).isEqualTo(new JsonObject()
        .put("replyId", "r1").put("chatId", "c1").put("ownerId", "u1").put("content", "Hello.").put("status", "terminated")
        .put("usage", new JsonObject().put("promptTokens", 12).put("completionTokens", 3)));
    assertThat(Finish.fromJson(finish.toJson())).isEqualTo(finish);
    Finish unreported = new Finish("r1", CHAT, "u1", "Hello.", MessageStatus.COMPLETE, null);
    assertThat(Finish.fromJson(unreported.toJson())).isEqualTo(unreported);
  }

  @Test
  void interrupt() {
    assertThat(new Interrupt("r1").toJson()).isEqualTo(new JsonObject().put("replyId", "r1"));
    assertThat(Interrupt.fromJson(new Interrupt("r1").toJson())).isEqualTo(new Interrupt("r1"));
  }

  @Test
  void deleteChatTakesOnlyAStringAsTheChatId() {
    assertThat(new DeleteChat(CHAT, "u1").toJson()).isEqualTo(new JsonObject().put("chatId", "c1").put("ownerId", "u1"));
    assertThat(DeleteChat.fromJson(new DeleteChat(CHAT, "u1").toJson())).isEqualTo(new DeleteChat(CHAT, "u1"));
    assertThatThrownBy(() -> DeleteChat.fromJson(new JsonObject().put("chatId", new JsonObject().put("$ne", ""))))
        .isInstanceOf(Rejection.class);
  }
}
