package parley.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.HistoryQuery;
import parley.chat.MessageIds;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.chat.ReplyModel;
import parley.store.MessageStore;
import parley.store.StoreBackend;

/**
 * The embedded store as the persistence verticle uses it: checkpoints go to the journal, history
 * shows them while the reply streams, and the next start puts them into the replies left streaming
 * (not into replies that ended).
 */
@ExtendWith(VertxExtension.class)
class EmbeddedStoreBackendTest {
  private static final String OWNER = "u1";
  private static final ChatId RUNNING = new ChatId("running");
  private static final ChatId ENDED = new ChatId("ended");

  @TempDir Path dataDir;

  @Test
  void journaledCheckpointsShowInHistoryAndReachTheStoreOnTheNextStart(Vertx vertx, VertxTestContext ctx) {
    String runningReply = MessageIds.next();
    String endedReply = MessageIds.next();
    vertx.runOnContext(go -> withStore(vertx, (backend, store) -> store
            .beginExchange(new NewMessage(RUNNING, "keep going"), OWNER, MessageIds.next(), runningReply, new ReplyModel("default/m", "default/m"), 0)
            .compose(v -> store.beginExchange(new NewMessage(ENDED, "be brief"), OWNER, MessageIds.next(), endedReply, new ReplyModel("default/m", "default/m"), 0))
            .compose(v -> backend.saveCheckpoints(Map.of(runningReply, "Hel", endedReply, "Do"), store))
            .compose(v -> backend.saveCheckpoints(Map.of(runningReply, "Hello"), store))
            .compose(v -> store.finish(endedReply, ENDED, OWNER, "Done.", MessageStatus.COMPLETE, null))
            .compose(v -> backend.replyEnded(endedReply))
            .compose(v -> store.history(new HistoryQuery(RUNNING, null, null), OWNER))
            .map(history -> {
              ctx.verify(() -> {
                assertThat(reply(history).content()).as("in the store document").isEmpty();
                assertThat(reply(backend.withLatestCheckpoints(history)).content()).isEqualTo("Hello");
              });
              return null;
            }))
        .compose(firstRun -> withStore(vertx, (backend, store) -> store.history(new HistoryQuery(RUNNING, null, null), OWNER)
            .compose(running -> store.history(new HistoryQuery(ENDED, null, null), OWNER).map(ended -> {
              ctx.verify(() -> {
                assertThat(reply(running).content()).isEqualTo("Hello");
                assertThat(reply(running).status()).isEqualTo(MessageStatus.STREAMING);
                assertThat(reply(ended).content()).isEqualTo("Done.");
                assertThat(reply(ended).status()).isEqualTo(MessageStatus.COMPLETE);
              });
              return null;
            }))))
        .onComplete(ctx.succeedingThenComplete()));
  }

  /** Opens the store as a node does, recovers, works, and closes it again. */
  private <T> Future<T> withStore(Vertx vertx, BiFunction<StoreBackend, MessageStore, Future<T>> work) {
    JsonObject clientConfig = new JsonObject().put("db_name", "parley");
    return EmbeddedStoreBackend.start(vertx, dataDir, 1000, clientConfig).compose(backend -> {
      MongoClient mongo = MongoClient.create(vertx, backend.mongoClientConfig());
      MessageStore store = new MessageStore(mongo, Clock.systemUTC(), backend::flush);
      return store.createIndexes()
          .compose(v -> backend.recover(store))
          .compose(v -> work.apply(backend, store))
          .eventually(mongo::close)
          .eventually(backend::close);
    });
  }

  private static ChatMessage reply(List<ChatMessage> history) {
    assertThat(history).hasSize(2);
    return history.get(1);
  }
}
