package parley.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.Addresses;
import parley.chat.BusAnswer;
import parley.chat.ChatId;
import parley.chat.HistoryQuery;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.store.embedded.CheckpointJournal;

/** Owns the Mongo client and answers the store's addresses; every other verticle reaches it by the bus. */
public final class PersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);

  /** Checkpoints arriving within this long of a batch's start go together in the next one. */
  private static final long CHECKPOINT_BATCH_GAP_MS = 50;
  /** The checkpoint journal is rewritten with only the running replies once it passes this size. */
  private static final long JOURNAL_REWRITE_BYTES = 8L << 20;

  private final JsonObject mongoConfig;
  private final MessageStore.Durability durability;
  private final Optional<Path> journalDir;
  private MongoClient mongo;
  private MessageStore store;
  private CheckpointJournal journal;

  /**
   * @param journalDir where checkpoints are journaled instead of written to the store (the
   *     embedded store, for which every update is costly); empty: they go to MongoDB
   */
  public PersistenceVerticle(JsonObject mongoConfig, MessageStore.Durability durability, Optional<Path> journalDir) {
    this.mongoConfig = mongoConfig;
    this.durability = durability;
    this.journalDir = journalDir;
  }

  @Override
  public Future<?> start() {
    mongo = MongoClient.create(vertx, mongoConfig);
    store = new MessageStore(mongo, Clock.systemUTC(), durability);
    // The journal is replayed before anything is answered: no reply of this run may start first.
    return store.createIndexes()
        .compose(v -> journalDir.map(this::replayJournal).orElse(Future.succeededFuture()))
        .map(v -> {
          listen();
          return null;
        });
  }

  private void listen() {
    Function<Map<String, String>, Future<Void>> writeCheckpoints = journal != null
        ? batch -> blocking(() -> journal.append(batch))
        : store::checkpoint;
    CheckpointBatcher checkpoints = new CheckpointBatcher(vertx, CHECKPOINT_BATCH_GAP_MS, writeCheckpoints);
    // Internal operations stay on this node (its own verticle, the shared database); only the
    // public queries are offered to the whole cluster.
    var bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.STORE_BEGIN_EXCHANGE, answer(body -> store
        .beginExchange(NewMessage.fromJson(body), body.getString(StoreClient.MESSAGE_ID), body.getString(StoreClient.REPLY_ID), body.getInteger(StoreClient.CONTEXT_MESSAGES, 0))
        .map(begun -> begun.exchange().toJson().put(StoreClient.HISTORY, StoreClient.toJson(begun.history())))));
    bus.<JsonObject>localConsumer(Addresses.STORE_CHECKPOINT, answer(body -> checkpoints
        .add(body.getString(StoreClient.REPLY_ID), body.getString(StoreClient.CONTENT))));
    bus.<JsonObject>localConsumer(Addresses.STORE_FINISH, answer(body -> {
      String replyId = body.getString(StoreClient.REPLY_ID);
      // The final text supersedes any checkpoint still waiting for its batch.
      checkpoints.drop(replyId);
      Future<Void> finished = store.finish(replyId, new ChatId(body.getString(StoreClient.CHAT_ID)),
          body.getString(StoreClient.CONTENT), MessageStatus.fromWire(body.getString(StoreClient.STATUS)));
      return journal == null ? finished : finished.compose(v -> blocking(() -> journal.ended(replyId)));
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_STREAMING, answer(body -> store.streamingReplies().map(StoreClient::toJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_INTERRUPT, answer(body -> store.interrupt(body.getString(StoreClient.REPLY_ID))));
    bus.<JsonObject>localConsumer(Addresses.STORE_PING, answer(body -> mongo
        .runCommand("ping", new JsonObject().put("ping", 1)).map(ok -> new JsonObject().put("database", "reachable"))));
    // Public: other services in the cluster, or behind the TCP bridge, may read history too.
    bus.<JsonObject>consumer(Addresses.HISTORY, answer(body -> store
        .history(HistoryQuery.fromJson(body))
        .map(messages -> StoreClient.toJson(withJournaledText(messages)))));
    bus.<JsonObject>consumer(Addresses.CHATS, answer(body -> store.chats().map(StoreClient::chatsToJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_DELETE_CHAT, answer(body -> store.deleteChat(ChatId.parse(body.getValue(StoreClient.CHAT_ID)))));
  }

  /**
   * Puts the text journaled by a previous run into the replies it left streaming (the store skips
   * any that ended); then the journal starts afresh.
   */
  private Future<Void> replayJournal(Path dir) {
    return vertx.executeBlocking(() -> {
          journal = CheckpointJournal.open(dir, JOURNAL_REWRITE_BYTES);
          return journal.recover();
        })
        .compose(recovered -> {
          if (recovered.isEmpty()) {
            return Future.succeededFuture();
          }
          LOG.info("Replaying the journaled text of {} reply(ies) into the store", recovered.size());
          return store.checkpoint(recovered);
        })
        .compose(v -> blocking(journal::clear));
  }

  /** A streaming reply shows its latest checkpoint, wherever checkpoints are kept. */
  private List<parley.chat.ChatMessage> withJournaledText(List<parley.chat.ChatMessage> messages) {
    if (journal == null) {
      return messages;
    }
    return messages.stream().map(message -> {
      String journaled = message.status() == MessageStatus.STREAMING ? journal.latest(message.id()) : null;
      return journaled == null ? message : message.withContent(journaled);
    }).toList();
  }

  /** Journal work, in the order it was asked for (blocking calls of one context run one by one). */
  private Future<Void> blocking(Runnable work) {
    return vertx.executeBlocking(() -> {
      work.run();
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    Future<Void> journalClosed = journal == null ? Future.succeededFuture() : blocking(journal::close);
    return journalClosed.eventually(mongo::close);
  }

  private <T> Handler<Message<JsonObject>> answer(Function<JsonObject, Future<T>> operation) {
    return request -> BusAnswer.with(request, operation, LOG, "the message store is unavailable, try again shortly");
  }
}
