package parley.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.Map;
import parley.chat.ChatMessage;

/**
 * Where the messages are kept, and what keeping them there takes beyond the Mongo client. There
 * are two: a real MongoDB ({@code PARLEY_MONGO_URI}, {@link MongoDbBackend}), which needs nothing
 * more, and the embedded store ({@link EmbeddedStoreBackend}), which commits its writes itself and
 * keeps the checkpoints of streaming replies in a journal beside its file.
 *
 * <p>The persistence verticle uses either the same way, on its event loop. The node chooses and
 * opens the backend before deploying the verticle and closes it once the verticle is gone.
 */
public interface StoreBackend {
  /** The Mongo client's configuration: where to connect, which database, how long to wait. */
  JsonObject mongoClientConfig();

  /** Completes once the writes acknowledged so far would survive a crash of this process. */
  Future<Void> flush();

  /**
   * Once, before the verticle answers anything: puts into the store what the previous run left
   * outside it.
   */
  Future<Void> recover(MessageStore store);

  /** Keeps the latest text of each of these streaming replies; a reply that has ended is left alone. */
  Future<Void> saveCheckpoints(Map<String, String> contentByReply, MessageStore store);

  /** The reply's final text is in the store: its checkpoints are no longer needed. */
  Future<Void> replyEnded(String replyId);

  /** Messages as history shows them: each streaming reply with its latest checkpointed text. */
  List<ChatMessage> withLatestCheckpoints(List<ChatMessage> messages);

  /**
   * The search of this store, over the verticle's Mongo client: the embedded store's own index
   * (opened with the store, closed with it), or a real MongoDB's text index.
   */
  SearchIndex search(MongoClient mongo);

  /** Releases what the backend holds. Called once, after the verticle has stopped. */
  Future<Void> close();
}
