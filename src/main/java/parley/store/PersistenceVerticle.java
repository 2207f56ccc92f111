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

  private final JsonObject mongoConfig;
  private final MessageStore.Durability durability;
  private final boolean interruptOrphansOnStart;
  private MongoClient mongo;
  private MessageStore store;

  /**
   * @param interruptOrphansOnStart true on a single node, whose earlier run left any reply still
   *     marked streaming; false in a cluster, where another node may be streaming it right now
   */
  public PersistenceVerticle(JsonObject mongoConfig, MessageStore.Durability durability, boolean interruptOrphansOnStart) {
    this.mongoConfig = mongoConfig;
    this.durability = durability;
    this.interruptOrphansOnStart = interruptOrphansOnStart;
  }

  @Override
  public Future<?> start() {
    mongo = MongoClient.create(vertx, mongoConfig);
    store = new MessageStore(mongo, Clock.systemUTC(), durability);
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.STORE_BEGIN_EXCHANGE, answer(body -> store
        .beginExchange(NewMessage.fromJson(body), body.getString(StoreClient.MESSAGE_ID), body.getString(StoreClient.REPLY_ID), body.getInteger(StoreClient.CONTEXT_MESSAGES, 0))
        .map(begun -> begun.exchange().toJson().put(StoreClient.HISTORY, StoreClient.toJson(begun.history())))));
    bus.<JsonObject>consumer(Addresses.STORE_CHECKPOINT, answer(body -> store
        .checkpoint(body.getString(StoreClient.REPLY_ID), body.getString(StoreClient.CONTENT))));
    bus.<JsonObject>consumer(Addresses.STORE_FINISH, answer(body -> store.finish(
        body.getString(StoreClient.REPLY_ID),
        new ChatId(body.getString(StoreClient.CHAT_ID)),
        body.getString(StoreClient.CONTENT),
        MessageStatus.fromWire(body.getString(StoreClient.STATUS)))));
    bus.<JsonObject>consumer(Addresses.HISTORY, answer(body -> store
        .history(HistoryQuery.fromJson(body))
        .map(StoreClient::toJson)));
    bus.<JsonObject>consumer(Addresses.CHATS, answer(body -> store.chats().map(StoreClient::chatsToJson)));
    bus.<JsonObject>consumer(Addresses.STORE_DELETE_CHAT, answer(body -> store.deleteChat(ChatId.parse(body.getValue(StoreClient.CHAT_ID)))));

    Future<Void> ready = store.createIndexes();
    if (interruptOrphansOnStart) {
      ready = ready.compose(v -> store.interruptOrphans()).map(count -> {
        if (count > 0) {
          LOG.info("Marked {} reply(ies) left streaming by the previous run as interrupted", count);
        }
        return null;
      });
    }
    return ready;
  }

  @Override
  public Future<?> stop() {
    return mongo.close();
  }

  private <T> Handler<Message<JsonObject>> answer(Function<JsonObject, Future<T>> operation) {
    return request -> BusAnswer.with(request, operation, LOG, "the message store is unavailable, try again shortly");
  }
}
