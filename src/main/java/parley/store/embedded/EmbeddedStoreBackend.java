package parley.store.embedded;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.ChatMessage;
import parley.chat.MessageStatus;
import parley.store.MessageStore;
import parley.store.SearchIndex;
import parley.store.StoreBackend;

/**
 * The store a node uses when no MongoDB is configured, with what it takes to keep data there: the
 * store itself ({@link EmbeddedMongo}), a commit after each write before it is acknowledged
 * ({@link GroupCommit}: H2 on its own commits on a timer), and the checkpoints of streaming
 * replies appended to a journal beside the store file instead of written into the store
 * ({@link CheckpointJournal}: mongo-java-server rewrites a whole document for every update). The
 * journal is replayed into the store when the node starts.
 *
 * <p>Journal work runs off the event loop, in the order the verticle asks for it (blocking calls
 * of one context run one by one); commits run beside it, one at a time.
 */
public final class EmbeddedStoreBackend implements StoreBackend {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStoreBackend.class);
  /** The checkpoint journal is rewritten with only the running replies once it passes this size. */
  private static final long JOURNAL_REWRITE_BYTES = 8L << 20;

  private final Vertx vertx;
  private final EmbeddedMongo mongo;
  private final CheckpointJournal journal;
  private final GroupCommit commits;
  private final EmbeddedSearch search;
  private final JsonObject clientConfig;

  private EmbeddedStoreBackend(Vertx vertx, EmbeddedMongo mongo, CheckpointJournal journal, EmbeddedSearch search,
      JsonObject clientConfig) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.journal = journal;
    this.search = search;
    this.commits = new GroupCommit(vertx, mongo::commit);
    this.clientConfig = clientConfig.copy().put("connection_string", mongo.connectionString());
  }

  /**
   * Starts the store on a loopback port and opens the journal and the search index, all in {@code dataDir}.
   *
   * @param commitDelayMs H2's own background commit timer
   * @param clientConfig the Mongo client's settings but for where to connect
   */
  public static Future<StoreBackend> start(Vertx vertx, Path dataDir, int commitDelayMs, JsonObject clientConfig) {
    return vertx.executeBlocking(() -> {
      EmbeddedMongo mongo = EmbeddedMongo.start(dataDir, commitDelayMs);
      CheckpointJournal journal;
      try {
        journal = CheckpointJournal.open(dataDir, JOURNAL_REWRITE_BYTES);
      } catch (RuntimeException e) {
        mongo.close();
        throw e;
      }
      EmbeddedSearch search;
      try {
        search = EmbeddedSearch.open(vertx, dataDir);
      } catch (RuntimeException e) {
        journal.close();
        mongo.close();
        throw e;
      }
      LOG.info("Store: embedded (mongo-java-server, H2) in {}; set PARLEY_MONGO_URI to use a real MongoDB", mongo.file());
      return new EmbeddedStoreBackend(vertx, mongo, journal, search, clientConfig);
    });
  }

  @Override
  public JsonObject mongoClientConfig() {
    return clientConfig;
  }

  @Override
  public Future<Void> flush() {
    return commits.flush();
  }

  /**
   * Puts the text journaled by the previous run into the replies it left streaming (the store
   * skips any that ended); then the journal starts afresh.
   */
  @Override
  public Future<Void> recover(MessageStore store) {
    return vertx.executeBlocking(journal::recover)
        .compose(recovered -> {
          if (recovered.isEmpty()) {
            return Future.succeededFuture();
          }
          LOG.info("Replaying the journaled text of {} reply(ies) into the store", recovered.size());
          return store.checkpoint(recovered);
        })
        .compose(v -> blocking(journal::clear));
  }

  /** Appended to the journal; the store is not touched. */
  @Override
  public Future<Void> saveCheckpoints(Map<String, String> contentByReply, MessageStore store) {
    return blocking(() -> journal.append(contentByReply));
  }

  @Override
  public Future<Void> replyEnded(String replyId) {
    return blocking(() -> journal.ended(replyId));
  }

  /** The store holds a streaming reply's text as it began: its latest is in the journal. */
  @Override
  public List<ChatMessage> withLatestCheckpoints(List<ChatMessage> messages) {
    return messages.stream().map(message -> {
      String journaled = message.status() == MessageStatus.STREAMING ? journal.latest(message.id()) : null;
      return journaled == null ? message : message.withContent(journaled);
    }).toList();
  }

  /** The Lucene index beside the store file. */
  @Override
  public SearchIndex search(MongoClient client) {
    return search;
  }

  /** The search index first (its last writes, then a commit), then the journal and the store. */
  @Override
  public Future<Void> close() {
    return search.close().otherwise(failure -> {
      LOG.warn("Closing the search index failed; the next start rebuilds it", failure);
      return null;
    }).compose(v -> blocking(() -> {
      try {
        journal.close();
      } finally {
        mongo.close();
      }
    }));
  }

  private Future<Void> blocking(Runnable work) {
    return vertx.executeBlocking(() -> {
      work.run();
      return null;
    });
  }
}
