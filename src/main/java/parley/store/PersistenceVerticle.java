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
import parley.chat.Addresses;
import parley.chat.BusAnswer;
import parley.chat.ChatId;
import parley.chat.HistoryQuery;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;

/** Owns the Mongo client and answers the store's addresses; every other verticle reaches it by the bus. */
public final class PersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);

  /** Checkpoints arriving within this long of a batch's start go together in the next one. */
  private static final long CHECKPOINT_BATCH_GAP_MS = 50;

  private final JsonObject mongoConfig;
  private final MessageStore.Durability durability;
  private MongoClient mongo;
  private MessageStore store;

  public PersistenceVerticle(JsonObject mongoConfig, MessageStore.Durability durability) {
    this.mongoConfig = mongoConfig;
    this.durability = durability;
  }

  @Override
  public Future<?> start() {
    mongo = MongoClient.create(vertx, mongoConfig);
    store = new MessageStore(mongo, Clock.systemUTC(), durability);
    CheckpointBatcher checkpoints = new CheckpointBatcher(vertx, CHECKPOINT_BATCH_GAP_MS, store::checkpoint);
    // Internal operations stay on this node (its own verticle, the shared database); only the
    // public queries are offered to the whole cluster.
    var bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.STORE_BEGIN_EXCHANGE, answer(body -> store
        .beginExchange(NewMessage.fromJson(body), body.getString(StoreClient.MESSAGE_ID), body.getString(StoreClient.REPLY_ID), body.getInteger(StoreClient.CONTEXT_MESSAGES, 0))
        .map(begun -> begun.exchange().toJson().put(StoreClient.HISTORY, StoreClient.toJson(begun.history())))));
    bus.<JsonObject>localConsumer(Addresses.STORE_CHECKPOINT, answer(body -> checkpoints
        .add(body.getString(StoreClient.REPLY_ID), body.getString(StoreClient.CONTENT))));
    bus.<JsonObject>localConsumer(Addresses.STORE_FINISH, answer(body -> store.finish(
        body.getString(StoreClient.REPLY_ID),
        new ChatId(body.getString(StoreClient.CHAT_ID)),
        body.getString(StoreClient.CONTENT),
        MessageStatus.fromWire(body.getString(StoreClient.STATUS)))));
    bus.<JsonObject>localConsumer(Addresses.STORE_STREAMING, answer(body -> store.streamingReplies().map(StoreClient::toJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_INTERRUPT, answer(body -> store.interrupt(body.getString(StoreClient.REPLY_ID))));
    bus.<JsonObject>localConsumer(Addresses.STORE_PING, answer(body -> mongo
        .runCommand("ping", new JsonObject().put("ping", 1)).map(ok -> new JsonObject().put("database", "reachable"))));
    // Public: other services in the cluster, or behind the TCP bridge, may read history too.
    bus.<JsonObject>consumer(Addresses.HISTORY, answer(body -> store
        .history(HistoryQuery.fromJson(body))
        .map(StoreClient::toJson)));
    bus.<JsonObject>consumer(Addresses.CHATS, answer(body -> store.chats().map(StoreClient::chatsToJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_DELETE_CHAT, answer(body -> store.deleteChat(ChatId.parse(body.getValue(StoreClient.CHAT_ID)))));

    return store.createIndexes();
  }

  @Override
  public Future<?> stop() {
    return mongo.close();
  }

  private <T> Handler<Message<JsonObject>> answer(Function<JsonObject, Future<T>> operation) {
    return request -> BusAnswer.with(request, operation, LOG, "the message store is unavailable, try again shortly");
  }
}
