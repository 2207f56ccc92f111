package parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;
import parley.store.embedded.EmbeddedMongo;
import parley.support.FakeUpstream.Script;
import parley.support.TestNode;

/** The same exchange against a real mongod (PARLEY_MONGO_URI); skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(VertxExtension.class)
class RealMongoTest {
  @Container static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0");

  @TempDir Path dataDir;
  private TestNode node;

  @AfterEach
  void stop(VertxTestContext ctx) {
    node.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void exchangeIsStoredInARealMongoDb(Vertx vertx, VertxTestContext ctx) {
    TestNode.start(vertx, dataDir, Map.of("PARLEY_MONGO_URI", MONGO.getConnectionString(), "PARLEY_MONGO_DB", "parley_it"))
        .compose(started -> {
          node = started;
          node.upstream().script(Script.tokens(List.of("real ", "mongo"), 5));
          return node.sendOk("real", "hello mongod");
        })
        .compose(ex -> node.storedMessage("real", ex.getJsonObject("reply").getString("id"), m -> m.getString("status").equals("complete")))
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          assertThat(stored.getString("content")).isEqualTo("real mongo");
          assertThat(dataDir.resolve(EmbeddedMongo.FILE_NAME)).doesNotExist();
          ctx.completeNow();
        })));
  }
}
