package parley.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store keeps documents as BSON: every kind of value Parley stores comes back the
 * same after the file is closed and opened again, and documents Java-serialized by the stock
 * backend (files of earlier builds) are read, updated and read again.
 */
@ExtendWith(VertxExtension.class)
class EmbeddedDocumentsTest {
  private static final JsonObject VARIED = new JsonObject()
      .put("_id", "c1")
      .put("title", "Ünïcödé and \"quotes\"\nnew line")
      .put("count", 42)
      .put("big", 9_007_199_254_740_993L)
      .put("temperature", 0.7)
      .put("pinned", true)
      .put("parentId", (String) null)
      .put("messageIds", new JsonArray().add("m1").add("m2"))
      .put("usage", new JsonObject().put("promptTokens", 12).put("completionTokens", 3))
      .put("updatedAt", new JsonObject().put("$date", "2026-11-29T21:00:00Z"));

  @Test
  void aDocumentIsWrittenAsBsonAndReadBack() {
    Document document = new Document("_id", "m1").append("content", "Hello").append("usage", new Document("promptTokens", 3));
    WriteBuffer written = new WriteBuffer();
    KeyTypedH2Backend.DocumentType.INSTANCE.write(written, document);
    ByteBuffer bytes = written.getBuffer().flip();
    assertThat(bytes.get(0)).as("the BSON marker").isEqualTo((byte) -2);
    assertThat(new String(bytes.array(), 0, bytes.limit(), StandardCharsets.ISO_8859_1)).contains("Hello").doesNotContain("java.util");
    assertThat(KeyTypedH2Backend.DocumentType.INSTANCE.read(bytes)).isEqualTo(document);
    assertThat(bytes.remaining()).as("the whole value was read, nothing more").isZero();
  }

  @Test
  void documentsComeBackTheSameAfterAReopen(Vertx vertx, @TempDir Path dataDir, VertxTestContext ctx) {
    withEmbedded(vertx, dataDir, mongo -> mongo.insert("chats", VARIED.copy()).mapEmpty())
        .compose(v -> withEmbedded(vertx, dataDir, mongo -> mongo.findOne("chats", new JsonObject().put("_id", "c1"), null)))
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertThat(found).isEqualTo(VARIED);
          ctx.completeNow();
        })));
  }

  @Test
  void aDocumentOfTheStockBackendIsReadUpdatedAndReadAgain(Vertx vertx, @TempDir Path dataDir, VertxTestContext ctx) {
    MVStore stockFile = new MVStore.Builder().fileName(dataDir.resolve(EmbeddedMongo.FILE_NAME).toString()).open();
    MongoServer stock = new MongoServer(new H2Backend(stockFile));
    stock.bind("127.0.0.1", 0);
    MongoClient stockClient = client(vertx, stock.getConnectionString());
    JsonObject reply = new JsonObject().put("_id", "r1").put("status", "streaming").put("content", "Hel");
    stockClient.insert("messages", reply.copy())
        .compose(v -> stockClient.close())
        .compose(v -> {
          stock.shutdownNow();
          stockFile.close();
          return withEmbedded(vertx, dataDir, mongo -> mongo.findOne("messages", new JsonObject().put("_id", "r1"), null)
              .compose(found -> {
                ctx.verify(() -> assertThat(found).isEqualTo(reply));
                return mongo.updateCollection("messages", new JsonObject().put("_id", "r1"),
                    new JsonObject().put("$set", new JsonObject().put("content", "Hello").put("status", "complete")));
              }));
        })
        .compose(v -> withEmbedded(vertx, dataDir, mongo -> mongo.findOne("messages", new JsonObject().put("_id", "r1"), null)))
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertThat(found).isEqualTo(new JsonObject().put("_id", "r1").put("status", "complete").put("content", "Hello"));
          ctx.completeNow();
        })));
  }

  /** Opens the embedded store on the directory, does the work, and closes it again. */
  private static <T> Future<T> withEmbedded(Vertx vertx, Path dataDir, Function<MongoClient, Future<T>> work) {
    EmbeddedMongo embedded = EmbeddedMongo.start(dataDir, 100);
    MongoClient mongo = client(vertx, embedded.connectionString());
    return work.apply(mongo)
        .compose(result -> vertx.executeBlocking(() -> {
          embedded.commit();
          return result;
        }))
        .eventually(mongo::close)
        .eventually(() -> {
          embedded.close();
          return Future.succeededFuture();
        });
  }

  private static MongoClient client(Vertx vertx, String connectionString) {
    return MongoClient.create(vertx, new JsonObject().put("connection_string", connectionString).put("db_name", "parley"));
  }
}
