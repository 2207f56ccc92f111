package parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.support.CuttableProxy;
import parley.support.FakeUpstream.Script;
import parley.support.SseCapture;
import parley.support.TestNode;

/**
 * MongoDB goes away mid-reply: new messages get 503, the running reply streams on to its end,
 * its final write is retried until the store is back, and /health says what is down.
 */
@ExtendWith(VertxExtension.class)
class StoreOutageTest {
  private static final List<String> TOKENS = Collections.nCopies(60, "on ");

  @TempDir Path dataDir;
  private MongoServer mongo;
  private CuttableProxy proxy;
  private TestNode node;

  @AfterEach
  void stop(VertxTestContext ctx) {
    node.stop().eventually(proxy::close).onComplete(done -> {
      mongo.shutdownNow();
      ctx.completeNow();
    });
  }

  @Test
  void outageAnswers503KeepsTheReplyStreamingAndStoresItWhenTheStoreReturns(Vertx vertx, VertxTestContext ctx) {
    mongo = new MongoServer(H2Backend.inMemory());
    java.net.InetSocketAddress address = mongo.bind();
    String[] replyId = new String[1];
    CuttableProxy.start(vertx, "127.0.0.1", address.getPort())
        .compose(started -> {
          proxy = started;
          return TestNode.start(vertx, dataDir, Map.of(
              "PARLEY_MONGO_URI", "mongodb://127.0.0.1:" + proxy.port(), "PARLEY_MONGO_TIMEOUT_MS", 500));
        })
        .compose(started -> {
          node = started;
          node.upstream().script(Script.tokens(TOKENS, 25));
          return health();
        })
        .compose(healthy -> {
          ctx.verify(() -> {
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(healthy.bodyAsJsonObject().getString("status")).isEqualTo("UP");
          });
          return node.sendOk("outage", "keep talking");
        })
        .compose(ex -> {
          replyId[0] = ex.getJsonObject("reply").getString("id");
          return node.stream("outage", null);
        })
        .compose(watcher -> watcher.deltas(3).compose(v -> {
          proxy.cut();
          return node.send("other-chat", "are you there?");
        }).compose(refused -> {
          ctx.verify(() -> {
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("store");
          });
          return health();
        }).compose(unhealthy -> {
          ctx.verify(() -> {
            assertThat(unhealthy.statusCode()).isEqualTo(503);
            JsonObject body = unhealthy.bodyAsJsonObject();
            assertThat(body.getString("status")).isEqualTo("DOWN");
            assertThat(body.getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(check -> check.getString("id").equals("store")).findFirst().orElseThrow().getString("status"))
                .isEqualTo("DOWN");
          });
          return watcher.done();
        }))
        .compose(events -> {
          ctx.verify(() -> {
            assertThat(SseCapture.textOf(events)).isEqualTo(String.join("", TOKENS));
            assertThat(SseCapture.endOf(events).json().getString("status")).isEqualTo("complete");
          });
          proxy.restore();
          return node.storedMessage("outage", replyId[0], m -> m.getString("status").equals("complete"));
        })
        .compose(stored -> {
          ctx.verify(() -> assertThat(stored.getString("content")).isEqualTo(String.join("", TOKENS)));
          return node.history("other-chat");
        })
        .onComplete(ctx.succeeding(other -> ctx.verify(() -> {
          assertThat(other).as("nothing half-stored from the refused send").isEmpty();
          ctx.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> health() {
    return node.web().get(node.port(), "127.0.0.1", "/health").send();
  }
}
