package parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import parley.chat.ChatId;
import parley.chat.ChatSummary;
import parley.chat.HistoryQuery;
import parley.chat.MessageIds;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.chat.ReplyModel;
import parley.chat.Sender;
import parley.support.ApiClient;
import parley.transfer.ImportedChat;
import parley.transfer.ImportedMessage;

/**
 * {@link MessageStore#importChats}, the one write of an import, on the embedded store: a good
 * import reads back as its trees; one whose write fails half-way is taken back whole, and what was
 * in the store before it (even a document in the way) is left exactly as it was.
 */
class ImportLeavesNothingOnFailureTest {
  private static final String OWNER = "u1";
  private static final Instant T = Instant.parse("2026-10-01T08:00:00Z");

  @RegisterExtension
  final StoreOnDisk disk = new StoreOnDisk();

  /** A chat of a question, two versions of its answer (the second shown), and a follow-up to the first. */
  private static ImportedChat chat(ChatId chatId, List<String> ids) {
    List<ImportedMessage> messages = new ArrayList<>();
    messages.add(new ImportedMessage(ids.get(0), null, Sender.USER, "question", MessageStatus.COMPLETE, null, T));
    messages.add(new ImportedMessage(ids.get(1), ids.get(0), Sender.BOT, "answer", MessageStatus.COMPLETE, "x/y", T.plusSeconds(1)));
    messages.add(new ImportedMessage(ids.get(2), ids.get(1), Sender.USER, "follow-up", MessageStatus.COMPLETE, null, T.plusSeconds(2)));
    messages.add(new ImportedMessage(ids.get(3), ids.get(0), Sender.BOT, "better answer", MessageStatus.TERMINATED, "x/z",
        T.plusSeconds(3)));
    return new ImportedChat(chatId, "Imported", true, "Be kind.", "x/y", 0.5, messages);
  }

  private static List<String> newIds() {
    return List.of(MessageIds.next(), MessageIds.next(), MessageIds.next(), MessageIds.next());
  }

  private long count(String collection) {
    return ApiClient.await(disk.mongo.count(collection, new JsonObject()));
  }

  @Test
  void aGoodImportReadsBackAsItsTree() {
    List<String> ids = newIds();
    List<ChatSummary> stored = ApiClient.await(disk.store.importChats(OWNER, List.of(chat(new ChatId("imported"), ids))));
    assertThat(stored).singleElement().satisfies(chat -> {
      assertThat(chat.messageCount()).isEqualTo(4);
      assertThat(chat.updatedAt()).isEqualTo(T.plusSeconds(3));
    });
    var path = ApiClient.await(disk.store.history(HistoryQuery.fromParams("imported", null, null, null), OWNER));
    assertThat(path).extracting(m -> m.content()).containsExactly("question", "better answer");
    assertThat(path.get(1).siblingIds()).containsExactly(ids.get(1), ids.get(3));
    assertThat(path.get(1).status()).isEqualTo(MessageStatus.TERMINATED);
    var via = ApiClient.await(disk.store.history(HistoryQuery.fromParams("imported", null, null, ids.get(1)), OWNER));
    assertThat(via).extracting(m -> m.content()).containsExactly("question", "answer", "follow-up");
    List<ChatSummary> listed = ApiClient.await(disk.store.chats(OWNER, false));
    assertThat(listed).singleElement().satisfies(chat -> {
      assertThat(chat.title()).isEqualTo("Imported");
      assertThat(chat.systemPrompt()).isEqualTo("Be kind.");
      assertThat(chat.temperature()).isEqualTo(0.5);
    });
    // A chat titled by its file is not renamed by a model.
    assertThat(ApiClient.await(disk.store.claimTitle(new ChatId("imported")))).isFalse();
    assertThat(ApiClient.await(disk.store.chats("someone-else", false))).isEmpty();
  }

  @Test
  void aMessageThatCannotBeWrittenTakesBackTheWholeImport() {
    // A document already holds the id of the second chat's third message: the inserts stop there.
    List<String> secondIds = newIds();
    JsonObject inTheWay = new JsonObject().put("_id", secondIds.get(2)).put("chatId", "elsewhere").put("content", "keep me");
    ApiClient.await(disk.mongo.insert(MessageStore.MESSAGES, inTheWay));
    long messagesBefore = count(MessageStore.MESSAGES);
    long chatsBefore = count(MessageStore.CHATS);

    Throwable failure = ApiClient.await(disk.store.importChats(OWNER,
        List.of(chat(new ChatId("first-import"), newIds()), chat(new ChatId("second-import"), secondIds)))
        .transform(done -> Future.succeededFuture(done.cause())));

    assertThat(failure).isNotNull();
    assertThat(count(MessageStore.MESSAGES)).isEqualTo(messagesBefore);
    assertThat(count(MessageStore.CHATS)).isEqualTo(chatsBefore);
    assertThat(ApiClient.await(disk.mongo.findOne(MessageStore.MESSAGES, new JsonObject().put("_id", secondIds.get(2)), null)))
        .isEqualTo(inTheWay);
    assertThat(ApiClient.await(disk.store.chats(OWNER, false))).isEmpty();
  }

  @Test
  void aChatIdThatIsTakenTakesBackTheWholeImportAndLeavesTheChatThatHadIt() {
    ChatId taken = new ChatId("already-mine");
    ApiClient.await(disk.store.beginExchange(new NewMessage(taken, "my own chat"), OWNER, MessageIds.next(), MessageIds.next(), new ReplyModel("x/y", "x/y"), 10));
    JsonObject chatBefore = ApiClient.await(disk.mongo.findOne(MessageStore.CHATS, new JsonObject().put("_id", taken.value()), null));
    long messagesBefore = count(MessageStore.MESSAGES);

    Throwable failure = ApiClient.await(disk.store.importChats(OWNER,
        List.of(chat(new ChatId("fresh-import"), newIds()), chat(taken, newIds())))
        .transform(done -> Future.succeededFuture(done.cause())));

    assertThat(failure).isNotNull();
    assertThat(count(MessageStore.MESSAGES)).isEqualTo(messagesBefore);
    assertThat(ApiClient.await(disk.mongo.findOne(MessageStore.CHATS, new JsonObject().put("_id", taken.value()), null))).isEqualTo(chatBefore);
    assertThat(ApiClient.await(disk.store.chats(OWNER, false))).extracting(ChatSummary::chatId).containsExactly(taken);
  }
}
