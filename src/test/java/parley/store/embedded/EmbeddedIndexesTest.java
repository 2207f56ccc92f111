package parley.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's own index maps: a store file written by the stock H2 backend opens with its
 * indexes rebuilt, and they find documents and keep keys unique as before.
 */
@ExtendWith(VertxExtension.class)
class EmbeddedIndexesTest {

  @Test
  void aFileOfTheStockBackendIsReindexedAndKeepsItsConstraints(Vertx vertx, @TempDir Path dataDir, VertxTestContext ctx) {
    MVStore stockFile = new MVStore.Builder().fileName(dataDir.resolve(EmbeddedMongo.FILE_NAME).toString()).open();
    MongoServer stock = new MongoServer(new H2Backend(stockFile));
    stock.bind("127.0.0.1", 0);
    MongoClient stockClient = client(vertx, stock.getConnectionString());
    JsonObject streaming = new JsonObject().put("_id", "r1").put("status", "streaming").put("content", "Hel");
    stockClient.createIndexWithOptions("messages", new JsonObject().put("_id", 1).put("status", 1), new IndexOptions().unique(true))
        .compose(v -> stockClient.insert("messages", streaming))
        .compose(v -> stockClient.insert("messages", new JsonObject().put("_id", "m1").put("status", "complete")))
        .compose(v -> stockClient.close())
        .compose(v -> {
          stock.shutdownNow();
          stockFile.close();
          EmbeddedMongo embedded = EmbeddedMongo.start(dataDir, 100);
          MongoClient mongo = client(vertx, embedded.connectionString());
          return mongo.findOne("messages", new JsonObject().put("_id", "r1").put("status", "streaming"), null)
              .compose(found -> {
                ctx.verify(() -> assertThat(found).isEqualTo(streaming));
                return mongo.insert("messages", new JsonObject().put("_id", "m1")).transform(duplicate -> {
                  ctx.verify(() -> assertThat(duplicate.failed()).as("a second document with _id m1").isTrue());
                  return mongo.count("messages", new JsonObject().put("_id", "m1"));
                });
              })
              .compose(count -> {
                ctx.verify(() -> {
                  assertThat(count).isEqualTo(1);
                  assertThat(embedded.mapNames()).noneMatch(name -> name.contains("._index_")).anyMatch(name -> name.contains("._keys_"));
                });
                return mongo.close();
              })
              .eventually(() -> {
                embedded.close();
                return Future.succeededFuture();
              });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  private static MongoClient client(Vertx vertx, String connectionString) {
    return MongoClient.create(vertx, new JsonObject().put("connection_string", connectionString).put("db_name", "parley"));
  }
}
