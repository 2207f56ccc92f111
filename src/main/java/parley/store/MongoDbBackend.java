package parley.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.ChatMessage;

/**
 * A real MongoDB, at {@code PARLEY_MONGO_URI}: it journals what it acknowledges, and checkpoints
 * are ordinary updates of the reply's document (where the other nodes of a cluster find them), so
 * there is nothing to add to what the Mongo client does.
 */
public final class MongoDbBackend implements StoreBackend {
  private static final Logger LOG = LoggerFactory.getLogger(MongoDbBackend.class);

  private final JsonObject clientConfig;

  private MongoDbBackend(JsonObject clientConfig) {
    this.clientConfig = clientConfig;
  }

  /** @param redactedUri the URI without its password, to log */
  public static MongoDbBackend at(String uri, String redactedUri, JsonObject clientConfig) {
    LOG.info("Store: MongoDB at {}", redactedUri);
    return new MongoDbBackend(clientConfig.copy().put("connection_string", uri));
  }

  @Override
  public JsonObject mongoClientConfig() {
    return clientConfig;
  }

  /** MongoDB journals by itself. */
  @Override
  public Future<Void> flush() {
    return Future.succeededFuture();
  }

  /** Everything is in the documents. */
  @Override
  public Future<Void> recover(MessageStore store) {
    return Future.succeededFuture();
  }

  /** One bulk update of the replies' documents. */
  @Override
  public Future<Void> saveCheckpoints(Map<String, String> contentByReply, MessageStore store) {
    return store.checkpoint(contentByReply);
  }

  @Override
  public Future<Void> replyEnded(String replyId) {
    return Future.succeededFuture();
  }

  /** A streaming reply's document already holds its latest checkpoint. */
  @Override
  public List<ChatMessage> withLatestCheckpoints(List<ChatMessage> messages) {
    return messages;
  }

  /** MongoDB's text index, which MongoDB keeps by itself. */
  @Override
  public SearchIndex search(MongoClient mongo) {
    return new MongoSearch(mongo);
  }

  /** The Mongo client is all there is, and the verticle closes it. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
