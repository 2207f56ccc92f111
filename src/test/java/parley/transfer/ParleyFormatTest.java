package parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static parley.transfer.ChatGptFormatTest.NOW;
import static parley.transfer.ChatGptFormatTest.resource;
import static parley.transfer.ChatGptFormatTest.shownPath;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatSummary;
import parley.chat.MessageStatus;
import parley.chat.Rejection;
import parley.chat.Sender;

/** Parley's own export: written from a chat, read back with new ids, refused when broken. */
class ParleyFormatTest {
  private static List<ImportedChat> read(JsonObject file) {
    return ImportReader.read(file.toBuffer(), 100_000, new CountingIds(), NOW);
  }

  @Test
  void theCommittedExportIsReadWholeWithNewIds() {
    List<ImportedChat> chats = ImportReader.read(resource("parley-export.json"), 100_000, new CountingIds(), NOW);
    assertThat(chats).extracting(ImportedChat::chatId).containsExactly(new ChatId("chat-1"), new ChatId("chat-2"));
    ImportedChat haiku = chats.get(0);
    assertThat(haiku.title()).isEqualTo("Haiku about autumn 🍁");
    assertThat(haiku.named()).isTrue();
    assertThat(haiku.systemPrompt()).isEqualTo("Answer in haiku only.");
    assertThat(haiku.model()).isEqualTo("ollama/llama3.2");
    assertThat(haiku.temperature()).isEqualTo(0.7);
    assertThat(haiku.messages()).extracting(ImportedMessage::id).containsExactly("m001", "m002", "m003", "m004", "m005", "m006", "m007");
    assertThat(haiku.messages()).extracting(ImportedMessage::parentId).containsExactly(null, "m001", "m001", "m002", "m004", null, "m006");
    assertThat(haiku.messages().get(2).status()).isEqualTo(MessageStatus.TERMINATED);
    assertThat(haiku.messages().get(2).model()).isEqualTo("openai/gpt-4o-mini");
    assertThat(haiku.messages().get(3).createdAt()).isEqualTo(Instant.parse("2026-11-28T18:02:00Z"));
    assertThat(shownPath(haiku)).containsExactly("Write a limerick about autumn instead.",
        "I only write haiku, I fear:\nleaves fall the same\nevery year.");
    assertThat(chats.get(1).messages()).extracting(ImportedMessage::status).containsExactly(MessageStatus.COMPLETE, MessageStatus.COMPLETE);
  }

  @Test
  void whatIsWrittenIsReadBackAsTheSameTree() {
    ChatId chatId = new ChatId("kept");
    Instant t = Instant.parse("2026-11-01T10:00:00.123Z");
    List<ChatMessage> messages = List.of(
        new ChatMessage("q1", chatId, Sender.USER, "Hello ✋", MessageStatus.COMPLETE, t, null, null, null, null),
        new ChatMessage("a1", chatId, Sender.BOT, "Hi!", MessageStatus.COMPLETE, t, null, "q1", "demo/demo", null),
        new ChatMessage("a2", chatId, Sender.BOT, "Hey", MessageStatus.ERROR, t.plusSeconds(5), null, "q1", "openai/gpt-4o", null),
        new ChatMessage("q0", chatId, Sender.USER, "Start over", MessageStatus.COMPLETE, t.plusSeconds(9), null, null, null, null),
        new ChatMessage("a0", chatId, Sender.BOT, "partial", MessageStatus.STREAMING, t.plusSeconds(9), null, "q0", "demo/demo", null));
    ChatSummary summary = new ChatSummary(chatId, "Greetings", t.plusSeconds(9), 5, "Be brief.", "demo/demo", 0.2, true, false);
    JsonObject file = ParleyFormat.write(List.of(new ChatExport(summary, messages)), NOW);
    assertThat(file.getString("format")).isEqualTo("parley-chat");
    assertThat(file.getInteger("version")).isEqualTo(1);
    assertThat(file.getString("exportedAt")).isEqualTo("2026-12-01T12:00:00.000Z");
    assertThat(file.getJsonArray("chats").getJsonObject(0).getString("createdAt")).isEqualTo("2026-11-01T10:00:00.123Z");

    ImportedChat back = read(file).get(0);
    assertThat(back.title()).isEqualTo("Greetings");
    assertThat(back.systemPrompt()).isEqualTo("Be brief.");
    assertThat(back.temperature()).isEqualTo(0.2);
    assertThat(back.messages()).extracting(ImportedMessage::text).containsExactly("Hello ✋", "Hi!", "Hey", "Start over", "partial");
    assertThat(back.messages()).extracting(ImportedMessage::parentId).containsExactly(null, "m001", "m001", null, "m004");
    assertThat(back.messages()).extracting(ImportedMessage::model).containsExactly(null, "demo/demo", "openai/gpt-4o", null, "demo/demo");
    assertThat(back.messages()).extracting(ImportedMessage::createdAt)
        .containsExactly(t, t, t.plusSeconds(5), t.plusSeconds(9), t.plusSeconds(9));
    // A reply still streaming when exported is, in the copy, one that was cut short.
    assertThat(back.messages()).extracting(ImportedMessage::status).containsExactly(MessageStatus.COMPLETE, MessageStatus.COMPLETE,
        MessageStatus.ERROR, MessageStatus.COMPLETE, MessageStatus.INTERRUPTED);
  }

  private static JsonObject file(JsonObject... messages) {
    JsonArray list = new JsonArray();
    for (JsonObject message : messages) {
      list.add(message);
    }
    return new JsonObject().put("format", "parley-chat").put("version", 1)
        .put("chats", new JsonArray().add(new JsonObject().put("title", "Broken").put("messages", list)));
  }

  private static JsonObject message(String id, String parentId, String sender, String text) {
    return new JsonObject().put("id", id).put("parentId", parentId).put("sender", sender).put("text", text);
  }

  private static String refusal(JsonObject file) {
    Throwable thrown = catchThrowable(() -> read(file));
    assertThat(thrown).isInstanceOf(Rejection.class);
    return thrown.getMessage();
  }

  @Test
  void messagesListedBeforeTheirParentAreCreatedAfterIt() {
    ImportedChat chat = read(file(message("b", "a", "bot", "answer"), message("a", null, "user", "question"))).get(0);
    assertThat(chat.messages()).extracting(ImportedMessage::text).containsExactly("question", "answer");
    assertThat(chat.named()).isTrue();
  }

  @Test
  void brokenFilesAreRefusedSayingWhere() {
    assertThat(refusal(file(message("a", "nowhere", "user", "hi")))).contains("chat 1 (\"Broken\")", "'a'", "'nowhere'");
    assertThat(refusal(file(message("a", "b", "user", "hi"), message("b", "a", "bot", "yo")))).contains("cycle", "'a'", "'b'");
    assertThat(refusal(file(message("a", null, "user", "hi"), message("a", null, "user", "again")))).contains("two messages have the id 'a'");
    assertThat(refusal(file(message("a", null, "robot", "hi")))).contains("message 1 ('a')", "sender must be user or bot");
    assertThat(refusal(file(message("a", null, "user", "  ")))).contains("must have a text");
    assertThat(refusal(file(message("a", null, "user", "hi").put("status", "done")))).contains("status must be");
    assertThat(refusal(file(message("a", null, "bot", "hi").put("model", "no-slash")))).contains("model must be a model id");
    assertThat(refusal(file(new JsonObject().put("parentId", null)))).contains("message 1 has no id");
    assertThat(refusal(file(message("a", null, "user", null)))).contains("text must be a string");
    assertThat(refusal(file())).contains("has no messages");
    assertThat(refusal(file(message("a", null, "user", "hi")).put("version", 2))).contains("version 2", "reads 1");
    assertThat(refusal(file(message("a", null, "user", "hi")).put("format", "other-app"))).contains("unknown format 'other-app'");
    JsonObject hot = file(message("a", null, "user", "hi"));
    hot.getJsonArray("chats").getJsonObject(0).put("temperature", 9);
    assertThat(refusal(hot)).contains("temperature must be a number from 0 to 2.0");
    assertThat(refusal(new JsonObject().put("format", "parley-chat").put("version", 1).put("chats", new JsonArray())))
        .contains("non-empty array \"chats\"");
    // A file's own ids are repeated cut short, so a refusal stays a sentence.
    assertThat(refusal(file(message("x".repeat(100_000), "y".repeat(100_000), "user", "hi")))).hasSizeLessThan(300);
  }

  @Test
  void aTextLongerThanAStoreDocumentHoldsIsRefused() {
    String huge = "x".repeat(ImportRules.MAX_TEXT_CHARS + 1);
    assertThat(refusal(file(message("a", null, "user", huge)))).contains("a message may have at most");
  }

  @Test
  void timesThatCannotBeReadFollowTheMessageBefore() {
    ImportedChat chat = read(file(
        message("a", null, "user", "hi").put("createdAt", "2026-01-02T03:04:05.006Z"),
        message("b", "a", "bot", "yo").put("createdAt", "yesterday"),
        message("c", "b", "user", "later").put("createdAt", "2999-01-01T00:00:00Z"))).get(0);
    assertThat(chat.messages()).extracting(ImportedMessage::createdAt)
        .containsExactly(Instant.parse("2026-01-02T03:04:05.006Z"), Instant.parse("2026-01-02T03:04:05.006Z"), NOW);
  }
}
