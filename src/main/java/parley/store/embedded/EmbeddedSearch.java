package parley.store.embedded;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.SearchHit;
import parley.search.SearchTerms;
import parley.store.MessageStore;
import parley.store.SearchIndex;

/**
 * Search on the embedded store: its {@link LuceneIndex}, kept beside the store file, written by
 * the store after each of its writes.
 *
 * <p>Lucene blocks, so its work runs on a worker pool of its own: writes one at a time in the
 * order the store made them (ordered blocking calls of one context), searches beside them, each
 * after the writes asked for before it. So a message whose send was answered is found by the next
 * search, and the send never waits for the index.
 *
 * <p>An index that is missing, of an earlier layout, left by a crash, or built from another store
 * file (a store written by a build without search) is rebuilt from the store in the background,
 * chat by chat; searches meanwhile answer from what is indexed so far. A chat the store writes
 * while its rebuild reads it is read again, so the rebuild never puts back something older.
 */
public final class EmbeddedSearch implements SearchIndex {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSearch.class);
  /** Chats read from the store at once while rebuilding. */
  private static final int REBUILD_READS = 4;
  private static final int WORKERS = 2;

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final LuceneIndex index;
  private Future<Void> lastWrite = Future.succeededFuture();
  private String storeStamp;
  /** Set while the index is rebuilt; only touched on the persistence verticle's event loop. */
  private Rebuild rebuild;
  /** Whether the index holds the whole store (kept at the next start if closed now); set once a rebuild ends. */
  private volatile boolean complete;
  /** Set by {@link #close}, from whatever thread closes the store: a rebuild under way stops. */
  private volatile boolean closing;

  private EmbeddedSearch(Vertx vertx, LuceneIndex index) {
    this.vertx = vertx;
    this.index = index;
    this.worker = vertx.createSharedWorkerExecutor("parley-search-" + UUID.randomUUID(), WORKERS);
  }

  /** Opens the index beside the store in {@code dataDir}. Blocking: call it off the event loop. */
  static EmbeddedSearch open(Vertx vertx, Path dataDir) {
    return new EmbeddedSearch(vertx, LuceneIndex.open(dataDir));
  }

  @Override
  public void messageWritten(String ownerId, ChatMessage message) {
    if (SearchIndex.findable(message)) {
      write(message.chatId(), () -> index.putMessage(ownerId, message));
    }
  }

  @Override
  public void chatStarted(String ownerId, ChatId chatId, String title, String firstMessageId, Instant firstCreatedAt) {
    write(chatId, () -> index.putChat(ownerId, chatId, title, firstMessageId, firstCreatedAt));
  }

  @Override
  public void chatRenamed(ChatId chatId, String title) {
    write(chatId, () -> index.renameChat(chatId, title));
  }

  @Override
  public void chatWritten(String ownerId, ChatId chatId, String title, List<ChatMessage> messages) {
    write(chatId, () -> index.replaceChat(ownerId, chatId, title, messages));
  }

  @Override
  public void chatDeleted(ChatId chatId) {
    write(chatId, () -> index.deleteChat(chatId));
  }

  @Override
  public void accountDeleted(String userId) {
    write(null, () -> index.deleteUser(userId));
  }

  @Override
  public void chatsAdopted(String fromUserId, String toUserId) {
    write(null, () -> index.reassign(fromUserId, toUserId));
  }

  /**
   * Queued behind the writes before it. {@code chatId} names the chat it changes (null: it may
   * change any), so that a rebuild reading that chat meanwhile reads it again.
   */
  private void write(ChatId chatId, Runnable work) {
    if (rebuild != null) {
      rebuild.changed(chatId);
    }
    enqueue(work).onFailure(failure -> LOG.error("The search index could not take a write", failure));
  }

  private Future<Void> enqueue(Runnable work) {
    lastWrite = worker.executeBlocking(() -> {
      work.run();
      return null;
    }, true);
    return lastWrite;
  }

  /** The index is checked against the store's stamp: kept if it matches and was closed cleanly, rebuilt otherwise. */
  @Override
  public Future<Void> start(MessageStore store) {
    return store.searchStamp().compose(stamp -> blocking(() -> index.staleBecause(stamp)).compose(stale -> {
      if (stale == null) {
        storeStamp = stamp;
        complete = true;
        return blocking(() -> {
          index.opened(stamp);
          return null;
        });
      }
      String fresh = UUID.randomUUID().toString();
      return blocking(() -> {
        index.emptied(fresh);
        return null;
      }).compose(v -> store.keepSearchStamp(fresh)).map(v -> {
        storeStamp = fresh;
        rebuild = new Rebuild(store, stale);
        rebuild.run();
        return null;
      });
    }));
  }

  @Override
  public Future<List<SearchHit>> search(String userId, SearchTerms terms, int limit) {
    return lastWrite.transform(ignored -> worker.executeBlocking(() -> index.search(userId, terms, limit), false));
  }

  @Override
  public Future<JsonObject> state() {
    JsonObject state = rebuild == null
        ? new JsonObject().put("state", "ready")
        : new JsonObject().put("state", "rebuilding").put("chatsDone", rebuild.done).put("chatsTotal", rebuild.total);
    return lastWrite.transform(ignored -> worker.executeBlocking(() -> state.put("index", "lucene")
        .put("documents", index.documents()).put("bytes", index.bytesOnDisk()), false));
  }

  /**
   * After the writes asked for; marked clean (kept at the next start) only when the index holds
   * the whole store, not when a rebuild was cut short.
   */
  @Override
  public Future<Void> close() {
    closing = true;
    boolean clean = complete;
    Future<Void> closed = lastWrite.transform(ignored -> blocking(() -> {
      if (storeStamp == null) {
        index.close();
      } else {
        index.close(storeStamp, clean);
      }
      return null;
    }));
    return closed.eventually(worker::close);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return worker.executeBlocking(work, true);
  }

  /** One rebuild from the store: every chat read and put in, then again any the store changed meanwhile. */
  private final class Rebuild {
    private final MessageStore store;
    private final String why;
    private final long startedNanos = System.nanoTime();
    /** Writes the store made to each chat since the rebuild began; changes to any chat bump {@link #everything}. */
    private final Map<ChatId, Integer> changes = new HashMap<>();
    private int everything;
    private final Deque<ChatId> waiting = new ArrayDeque<>();
    private final Promise<Void> finished = Promise.promise();
    private int reading;
    private int done;
    private int total;
    private int messages;

    Rebuild(MessageStore store, String why) {
      this.store = store;
      this.why = why;
    }

    void changed(ChatId chatId) {
      if (chatId == null) {
        everything++;
      } else {
        changes.merge(chatId, 1, Integer::sum);
      }
    }

    void run() {
      store.chatIds()
          .onSuccess(ids -> {
            waiting.addAll(ids);
            total = ids.size();
            if (total == 0) {
              LOG.info("Search index: new, in {}", index.path());
            } else {
              LOG.info("Search index: {}; rebuilding it in {} from the {} chat(s) of the store, in the background "
                  + "(until it is done, searches find only what is indexed)", why, index.path(), total);
            }
            next();
          })
          .onFailure(finished::fail);
      finished.future().compose(v -> lastWrite).onComplete(result -> {
        rebuild = null;
        if (result.succeeded()) {
          complete = true;
          if (total > 0) {
            LOG.info("Search index: rebuilt, {} message(s) of {} chat(s) in {} ms", messages, total,
                (System.nanoTime() - startedNanos) / 1_000_000);
          }
        } else if (closing) {
          LOG.info("Search index: the rebuild stopped with the node after {} of {} chat(s); the next start rebuilds it", done, total);
        } else {
          LOG.error("Search index: the rebuild failed; searches find only what was indexed, and the next start tries again",
              result.cause());
        }
      });
    }

    private void next() {
      while (reading < REBUILD_READS && !waiting.isEmpty()) {
        read(waiting.poll());
      }
      if (reading == 0 && waiting.isEmpty()) {
        finished.tryComplete();
      }
    }

    /** One chat read and put in; the next is read once it is in, so the rebuild never queues much ahead of the index. */
    private void read(ChatId chatId) {
      reading++;
      int seen = changes.getOrDefault(chatId, 0);
      int seenEverything = everything;
      store.chatForSearch(chatId).onComplete(read -> {
        if (closing || read.failed()) {
          reading--;
          finished.tryFail(closing ? new IllegalStateException("the node stopped") : read.cause());
          return;
        }
        if (changes.getOrDefault(chatId, 0) != seen || everything != seenEverything) {
          // Written while being read: what was read may be older than what the index has.
          reading--;
          waiting.add(chatId);
          next();
          return;
        }
        MessageStore.WholeChat chat = read.result();
        done++;
        messages += chat == null ? 0 : chat.messages().size();
        enqueue(chat == null
            ? () -> index.deleteChat(chatId)
            : () -> index.replaceChat(chat.ownerId(), chatId, chat.title(), chat.messages()))
            .onComplete(applied -> {
              reading--;
              if (applied.failed()) {
                finished.tryFail(applied.cause());
              } else {
                next();
              }
            });
      });
    }
  }
}
