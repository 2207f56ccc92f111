package parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.Context;
import parley.chat.Exchange;
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
 * The model's context as the store reads it for a send and a regeneration, on the embedded store:
 * the path from its newest message back until it holds more text than the cap. A path that fits
 * comes whole, however many messages it has; one that does not is read only as far back as the
 * cap could reach, and the model is shown of it what it would be shown of the whole path.
 */
class ContextReadTest {
  private static final String OWNER = "u1";
  private static final Instant T = Instant.parse("2026-12-01T08:00:00Z");
  private static final ReplyModel MODEL = new ReplyModel("x/y", "x/y");
  private static final int DEFAULT_CAP = 100_000;
  /** More than one query of the context reads, fewer than the default cap holds. */
  private static final int FITTING = 120;

  @RegisterExtension
  final StoreOnDisk disk = new StoreOnDisk();

  /** Every message is "message NNN": eleven characters. */
  private static String text(int n) {
    return "message %03d".formatted(n);
  }

  private static List<String> texts(int from, int toExcluded) {
    List<String> texts = new ArrayList<>();
    for (int n = from; n < toExcluded; n++) {
      texts.add(text(n));
    }
    return texts;
  }

  private static List<String> contents(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::content).toList();
  }

  /** Stores a chat of one straight path of {@code count} messages, user and bot in turn: answers their ids, oldest first. */
  private List<String> storePath(ChatId chatId, int count) {
    List<String> ids = new ArrayList<>();
    List<ImportedMessage> messages = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      ids.add(MessageIds.next());
      boolean user = n % 2 == 0;
      messages.add(new ImportedMessage(ids.get(n), n == 0 ? null : ids.get(n - 1), user ? Sender.USER : Sender.BOT, text(n),
          MessageStatus.COMPLETE, user ? null : "x/y", T.plusSeconds(n)));
    }
    ApiClient.await(disk.store.importChats(OWNER, List.of(new ImportedChat(chatId, "Long", true, null, "x/y", null, messages))));
    return ids;
  }

  private List<ChatMessage> wholePath(ChatId chatId) {
    return ApiClient.await(disk.store.history(HistoryQuery.fromParams(chatId.value(), null, null, null), OWNER));
  }

  @Test
  void aSendGetsEveryMessageOfAPathThatFitsPlacedInTheTree() {
    ChatId chatId = new ChatId("fits");
    List<String> ids = storePath(chatId, FITTING);

    Exchange.WithHistory begun = ApiClient.await(disk.store.beginExchange(new NewMessage(chatId, text(FITTING)), OWNER,
        MessageIds.next(), MessageIds.next(), MODEL, DEFAULT_CAP));

    assertThat(contents(begun.history())).isEqualTo(texts(0, FITTING));
    assertThat(begun.history().get(0).parentId()).isNull();
    assertThat(begun.history().get(FITTING - 1).parentId()).isEqualTo(ids.get(FITTING - 2));
    assertThat(contents(Context.capped(begun.conversation(), DEFAULT_CAP))).isEqualTo(texts(0, FITTING + 1));
  }

  @Test
  void aRegenerationGetsEveryMessageOfThePathToTheRepliesParent() {
    ChatId chatId = new ChatId("fits-again");
    List<String> ids = storePath(chatId, FITTING);

    Exchange.WithHistory begun = ApiClient.await(disk.store.beginRegeneration(chatId, OWNER, ids.get(FITTING - 1), MessageIds.next(),
        "x/y", DEFAULT_CAP));

    assertThat(contents(begun.history())).isEqualTo(texts(0, FITTING - 1));
  }

  @Test
  void aPathOverTheCapIsReadOnlyAsFarBackAsTheCapReaches() {
    int cap = 1_000;
    int count = 400;
    ChatId sentTo = new ChatId("over-the-cap");
    storePath(sentTo, count);
    List<ChatMessage> wholeBefore = wholePath(sentTo);

    Exchange.WithHistory sent = ApiClient.await(disk.store.beginExchange(new NewMessage(sentTo, text(count)), OWNER,
        MessageIds.next(), MessageIds.next(), MODEL, cap));

    // 4,400 characters on the path: what is read holds more than the cap, and far from all of it.
    assertThat(sent.history().size()).isLessThan(count);
    assertThat(sent.history().stream().mapToInt(m -> m.content().length()).sum()).isGreaterThan(cap);
    List<ChatMessage> whole = new ArrayList<>(wholeBefore);
    whole.add(sent.exchange().message());
    assertThat(contents(Context.capped(sent.conversation(), cap)))
        .isEqualTo(contents(Context.capped(whole, cap)))
        .isEqualTo(texts(count + 1 - cap / 11, count + 1));

    ChatId regenerated = new ChatId("over-the-cap-again");
    List<String> ids = storePath(regenerated, count);
    List<ChatMessage> toParent = wholePath(regenerated).subList(0, count - 1);

    Exchange.WithHistory again = ApiClient.await(disk.store.beginRegeneration(regenerated, OWNER, ids.get(count - 1), MessageIds.next(),
        "x/y", cap));

    assertThat(again.history().size()).isLessThan(count - 1);
    assertThat(contents(Context.capped(again.conversation(), cap)))
        .isEqualTo(contents(Context.capped(toParent, cap)))
        .isEqualTo(texts(count - 1 - cap / 11, count - 1));
  }
}
