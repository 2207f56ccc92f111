package parley.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.bus.Addresses;
import parley.bus.BusAnswer;
import parley.chat.ErrorCode;
import parley.chat.HistoryQuery;
import parley.chat.Rejection;
import parley.store.StoreRequests.BeginExchange;
import parley.store.StoreRequests.Checkpoint;
import parley.store.StoreRequests.DeleteChat;
import parley.store.StoreRequests.Finish;
import parley.store.StoreRequests.Interrupt;

/** Owns the Mongo client and answers the store's addresses; every other verticle reaches it by the bus. */
public final class PersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);

  /** Checkpoints arriving within this long of a batch's start go together in the next one. */
  private static final long CHECKPOINT_BATCH_GAP_MS = 50;

  private static final Rejection STORE_DOWN =
      new Rejection(ErrorCode.STORE_UNAVAILABLE, "the message store is unavailable, try again shortly");

  private final StoreBackend backend;
  private MongoClient mongo;
  private MessageStore store;

  /** @param backend opened by the caller, who closes it after this verticle has stopped */
  public PersistenceVerticle(StoreBackend backend) {
    this.backend = backend;
  }

  @Override
  public Future<?> start() {
    mongo = MongoClient.create(vertx, backend.mongoClientConfig());
    store = new MessageStore(mongo, Clock.systemUTC(), backend::flush);
    // Recovery comes before anything is answered: no reply of this run may start first.
    return store.createIndexes()
        .compose(v -> backend.recover(store))
        .map(v -> {
          listen();
          return null;
        });
  }

  private void listen() {
    CheckpointBatcher checkpoints = new CheckpointBatcher(vertx, CHECKPOINT_BATCH_GAP_MS,
        batch -> backend.saveCheckpoints(batch, store));
    // Internal operations stay on this node (its own verticle, the shared database); only the
    // public queries are offered to the whole cluster.
    var bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.STORE_BEGIN_EXCHANGE, answer(body -> {
      BeginExchange begin = BeginExchange.fromJson(body);
      return store.beginExchange(begin.sent(), begin.messageId(), begin.replyId(), begin.contextMessages())
          .map(StoreRequests::exchangeToJson);
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_CHECKPOINT, answer(body -> {
      Checkpoint checkpoint = Checkpoint.fromJson(body);
      return checkpoints.add(checkpoint.replyId(), checkpoint.content());
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_FINISH, answer(body -> {
      Finish finish = Finish.fromJson(body);
      // The final text supersedes any checkpoint still waiting for its batch.
      checkpoints.drop(finish.replyId());
      return store.finish(finish.replyId(), finish.chatId(), finish.content(), finish.status())
          .compose(v -> backend.replyEnded(finish.replyId()));
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_STREAMING, answer(body -> store.streamingReplies().map(StoreRequests::messagesToJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_INTERRUPT, answer(body -> store.interrupt(Interrupt.fromJson(body).replyId())));
    bus.<JsonObject>localConsumer(Addresses.STORE_PING, answer(body -> mongo
        .runCommand("ping", new JsonObject().put("ping", 1)).map(ok -> StoreRequests.databaseReachable())));
    // Public: other services in the cluster, or behind the TCP bridge, may read history too.
    bus.<JsonObject>consumer(Addresses.HISTORY, answer(body -> store
        .history(HistoryQuery.fromJson(body))
        .map(messages -> StoreRequests.messagesToJson(backend.withLatestCheckpoints(messages)))));
    bus.<JsonObject>consumer(Addresses.CHATS, answer(body -> store.chats().map(StoreRequests::chatsToJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_DELETE_CHAT, answer(body -> store.deleteChat(DeleteChat.fromJson(body).chatId())));
  }

  @Override
  public Future<?> stop() {
    return mongo.close();
  }

  private <T> Handler<Message<JsonObject>> answer(Function<JsonObject, Future<T>> operation) {
    return request -> BusAnswer.with(request, operation, LOG, STORE_DOWN);
  }
}
