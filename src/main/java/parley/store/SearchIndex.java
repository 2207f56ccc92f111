package parley.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.MessageStatus;
import parley.chat.SearchHit;
import parley.search.SearchTerms;

/**
 * Full-text search over the caller's chats, and what the store tells it after each write that
 * changes what can be found. The store calls the write methods on the persistence verticle's
 * event loop, after its own write succeeded and before it answers, so what a client was told is
 * stored is findable by the next search. They never fail the store's write: an index that cannot
 * take one logs it.
 *
 * <p>Two kinds: the embedded store's own Lucene index ({@code embedded.EmbeddedSearch}), which
 * needs every write, and a real MongoDB's text index ({@link MongoSearch}), which MongoDB keeps by
 * itself and which ignores them.
 */
public interface SearchIndex {
  /** A message as it can now be found: a message sent, or a reply's final text (a stopped or failed one's kept text). */
  void messageWritten(String ownerId, ChatMessage message);

  /** A chat's first message is stored: from now on its title finds it, pointing at that message. */
  void chatStarted(String ownerId, ChatId chatId, String title, String firstMessageId, Instant firstCreatedAt);

  /** The chat has a new title (renamed, or named by a model). */
  void chatRenamed(ChatId chatId, String title);

  /**
   * A whole chat written at once (an import): its title and messages, in the chat's order (the
   * first is where a hit on the title points), replace whatever was indexed for it. Streaming
   * replies in it are left out.
   */
  void chatWritten(String ownerId, ChatId chatId, String title, List<ChatMessage> messages);

  void chatDeleted(ChatId chatId);

  /** An account and every chat of it are gone. */
  void accountDeleted(String userId);

  /** Every chat of {@code fromUserId} is now {@code toUserId}'s (the first admin takes the local user's chats). */
  void chatsAdopted(String fromUserId, String toUserId);

  /** Once, after the store's own start-up work: whatever the index needs before it answers (or begins in the background). */
  Future<Void> start(MessageStore store);

  /** The user's messages (and chats found by title alone) that hold every clause, best first, at most {@code limit}. */
  Future<List<SearchHit>> search(String userId, SearchTerms terms, int limit);

  /** What the index is doing and holds (as of the writes asked for so far), for {@code /health}'s details. */
  Future<JsonObject> state();

  /** Once, after the verticle has stopped. */
  Future<Void> close();

  /** Whether a message is worth finding: a reply still streaming is not (its final text is indexed), nor one without a word. */
  static boolean findable(ChatMessage message) {
    return message.status() != MessageStatus.STREAMING && message.content() != null && !message.content().isBlank();
  }

  /**
   * An index the database keeps by itself (or none at all): the store's writes need nothing from
   * it, and it holds nothing to close.
   */
  interface KeptByTheDatabase extends SearchIndex {
    @Override
    default void messageWritten(String ownerId, ChatMessage message) {}

    @Override
    default void chatStarted(String ownerId, ChatId chatId, String title, String firstMessageId, Instant firstCreatedAt) {}

    @Override
    default void chatRenamed(ChatId chatId, String title) {}

    @Override
    default void chatWritten(String ownerId, ChatId chatId, String title, List<ChatMessage> messages) {}

    @Override
    default void chatDeleted(ChatId chatId) {}

    @Override
    default void accountDeleted(String userId) {}

    @Override
    default void chatsAdopted(String fromUserId, String toUserId) {}

    @Override
    default Future<Void> start(MessageStore store) {
      return Future.succeededFuture();
    }

    @Override
    default Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /** No search at all: writes are ignored and nothing is ever found (a store used on its own, as tests do). */
  SearchIndex NONE = new KeptByTheDatabase() {
    @Override
    public Future<List<SearchHit>> search(String userId, SearchTerms terms, int limit) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<JsonObject> state() {
      return Future.succeededFuture(new JsonObject().put("state", "none"));
    }
  };
}
