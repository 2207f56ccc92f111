package parley.store;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import parley.store.embedded.EmbeddedMongo;
import parley.support.ApiClient;

/**
 * A {@link MessageStore} on the embedded store, fresh for each test in a directory of its own, with
 * a Vert.x of its own: for tests of the store's own writes and reads, which look into its
 * collections as well ({@code @RegisterExtension}).
 */
final class StoreOnDisk implements BeforeEachCallback, AfterEachCallback {
  MongoClient mongo;
  MessageStore store;
  private Vertx vertx;
  private EmbeddedMongo embedded;
  private Path dataDir;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("parley-store");
    vertx = Vertx.vertx();
    embedded = EmbeddedMongo.start(dataDir, 1000);
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", embedded.connectionString()).put("db_name", "parley"));
    store = new MessageStore(mongo, Clock.systemUTC(), MessageStore.Durability.NONE);
    ApiClient.await(store.createIndexes());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      ApiClient.await(mongo.close());
      embedded.close();
    } finally {
      ApiClient.await(vertx.close());
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
