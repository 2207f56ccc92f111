package parley.store.embedded;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Lucene blocks, so its work runs off the event loop on threads of its own: writes on one thread,
 * in the order the store made them, searches on two others, each after the writes asked for
 * before it. So a message whose send was answered is found by the next search, and the send never
 * waits for the index. Not on Vert.x's worker pools: Vert.x interrupts the running task of a
 * context's ordered queue when that context closes, and an interrupt during Lucene's file work
 * closes the index's files under it (Lucene's own advice is never to interrupt its threads).
 *
 * <p>An index that is missing, of an earlier layout, left by a crash, or built from another store
 * file (a store written by a build without search) is rebuilt from the store in the background,
 * in one pass over the messages; searches meanwhile answer from what is indexed so far. A chat the
 * store writes while the rebuild runs is left out of the pass and read again on its own
 * afterwards, so the rebuild never puts back something older than what the store wrote.
 */
public final class EmbeddedSearch implements SearchIndex {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSearch.class);
  /** Chats read from the store at once while rebuilding. */
  private static final int REBUILD_READS = 4;
  private static final int SEARCH_THREADS = 2;

  private final Vertx vertx;
  private final ExecutorService writer;
  private final ExecutorService searcher;
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
    this.writer = Executors.newSingleThreadExecutor(daemon("parley-search-writer"));
    this.searcher = Executors.newFixedThreadPool(SEARCH_THREADS, daemon("parley-search"));
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
    lastWrite = blocking(() -> {
      work.run();
      return null;
    });
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
    return lastWrite.transform(ignored -> on(searcher, () -> index.search(userId, terms, limit)));
  }

  /** While a rebuild runs, only how far it got (the index is busy); then what the index holds. */
  @Override
  public Future<JsonObject> state() {
    if (rebuild != null) {
      return Future.succeededFuture(new JsonObject().put("index", "lucene").put("state", "rebuilding")
          .put("messagesDone", rebuild.messages).put("chats", rebuild.heads.size()));
    }
    return lastWrite.transform(ignored -> on(searcher, () -> new JsonObject().put("index", "lucene").put("state", "ready")
        .put("documents", index.documents()).put("bytes", index.bytes())));
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
    return closed.eventually(() -> {
      writer.shutdown();
      searcher.shutdown();
      return Future.succeededFuture();
    });
  }

  /** On the writing thread, after every write asked for before. */
  private <T> Future<T> blocking(Callable<T> work) {
    return on(writer, work);
  }

  /** Runs the work on one of this index's threads; its outcome comes back on the caller's context. */
  private <T> Future<T> on(ExecutorService executor, Callable<T> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> outcome = Promise.promise();
    try {
      executor.execute(() -> {
        try {
          T result = work.call();
          context.runOnContext(v -> outcome.complete(result));
        } catch (Throwable failure) {
          context.runOnContext(v -> outcome.fail(failure));
        }
      });
    } catch (RejectedExecutionException closed) {
      outcome.fail(new IllegalStateException("the search index is closed"));
    }
    return outcome.future();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return work -> {
      Thread thread = new Thread(work, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * One rebuild from the store: every message in one pass, then the chats' titles, then again,
   * chat by chat, each chat the store changed meanwhile (a change to any chat, an account's
   * deletion or adoption, has every chat done again that way).
   */
  private final class Rebuild {
    private static final int BATCH = 500;
    private final MessageStore store;
    private final String why;
    private final long startedNanos = System.nanoTime();
    /** Writes the store made to each chat since the rebuild began. */
    private final Map<ChatId, Integer> changes = new HashMap<>();
    /** Writes that may have changed any chat since the rebuild began. */
    private int everything;
    private final Deque<ChatId> waiting = new ArrayDeque<>();
    private final Promise<Void> redone = Promise.promise();
    private Map<ChatId, MessageStore.ChatHead> heads = Map.of();
    private final Map<ChatId, Instant> firstCreated = new HashMap<>();
    private int reading;
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

    private boolean unchanged(ChatId chatId) {
      return everything == 0 && !changes.containsKey(chatId);
    }

    void run() {
      store.chatHeads()
          .compose(found -> {
            heads = found;
            if (heads.isEmpty()) {
              LOG.info("Search index: new, in {}", index.path());
            } else {
              LOG.info("Search index: {}; rebuilding it in {} from the {} chat(s) of the store, in the background "
                  + "(until it is done, searches find only what is indexed)", why, index.path(), heads.size());
            }
            return store.eachMessageBatch(BATCH, this::putBatch);
          })
          .compose(v -> putTitles())
          .compose(v -> redoChanged())
          .compose(v -> enqueue(index::refresh))
          .onComplete(result -> {
            rebuild = null;
            if (result.succeeded()) {
              complete = true;
              if (!heads.isEmpty()) {
                LOG.info("Search index: rebuilt, {} message(s) of {} chat(s) in {} ms", messages, heads.size(),
                    (System.nanoTime() - startedNanos) / 1_000_000);
              }
            } else if (closing) {
              LOG.info("Search index: the rebuild stopped with the node after {} message(s); the next start rebuilds it", messages);
            } else {
              LOG.error("Search index: the rebuild failed; searches find only what was indexed, and the next start tries again",
                  result.cause());
            }
          });
    }

    /** A batch of the pass over every message: those of chats the store has not changed since the rebuild began. */
    private Future<Void> putBatch(List<ChatMessage> batch) {
      if (closing) {
        return Future.failedFuture("the node stopped");
      }
      List<LuceneIndex.Owned> owned = new ArrayList<>(batch.size());
      for (ChatMessage message : batch) {
        MessageStore.ChatHead head = heads.get(message.chatId());
        if (head == null || !unchanged(message.chatId())) {
          continue;
        }
        if (message.id().equals(head.firstMessageId())) {
          firstCreated.put(message.chatId(), message.createdAt());
        }
        if (SearchIndex.findable(message)) {
          owned.add(new LuceneIndex.Owned(head.ownerId(), message));
        }
      }
      messages += owned.size();
      return enqueue(() -> index.addMessages(owned));
    }

    private Future<Void> putTitles() {
      List<Runnable> titles = new ArrayList<>();
      heads.forEach((chatId, head) -> {
        Instant created = firstCreated.get(chatId);
        if (created != null && unchanged(chatId)) {
          titles.add(() -> index.putChat(head.ownerId(), chatId, head.title(), head.firstMessageId(), created));
        }
      });
      return enqueue(() -> titles.forEach(Runnable::run));
    }

    /** Chat by chat, each chat changed meanwhile, until none is changed while it is read. */
    private Future<Void> redoChanged() {
      waiting.addAll(everything > 0 ? heads.keySet() : changes.keySet());
      next();
      return redone.future();
    }

    private void next() {
      while (reading < REBUILD_READS && !waiting.isEmpty()) {
        read(waiting.poll());
      }
      if (reading == 0 && waiting.isEmpty()) {
        redone.tryComplete();
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
          redone.tryFail(closing ? new IllegalStateException("the node stopped") : read.cause());
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
        enqueue(chat == null
            ? () -> index.deleteChat(chatId)
            : () -> index.replaceChat(chat.ownerId(), chatId, chat.title(), chat.messages()))
            .onComplete(applied -> {
              reading--;
              if (applied.failed()) {
                redone.tryFail(applied.cause());
              } else {
                next();
              }
            });
      });
    }
  }
}
