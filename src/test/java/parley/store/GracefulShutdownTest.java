package parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxTestContext;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.SseCapture;
import parley.support.WithNodeProcess;

/** SIGTERM mid-reply: the node ends the reply as interrupted, tells its watchers, stores the text, and exits in time. */
class GracefulShutdownTest extends WithNodeProcess {
  private static final List<String> TOKENS = Collections.nCopies(500, "word ");

  @Test
  void sigtermEndsRunningRepliesAsInterruptedAndExitsWithinTenSeconds(Vertx vertx, VertxTestContext ctx) {
    WebClient web = WebClient.create(vertx);
    HttpClient http = vertx.createHttpClient();
    String[] replyId = new String[1];
    SseCapture[] watcher = new SseCapture[1];
    startProcess(vertx, Script.tokens(TOKENS, 20), Map.of())
        .compose(node -> web.post(node.port(), "127.0.0.1", "/api/messages")
            .sendJsonObject(new JsonObject().put("chatId", "bye").put("content", "talk until I stop you")))
        .compose(posted -> {
          replyId[0] = posted.bodyAsJsonObject().getJsonObject("reply").getString("id");
          return SseCapture.open(http, process.port(), "bye", null);
        })
        .compose(sse -> {
          watcher[0] = sse;
          return sse.deltas(5);
        })
        .compose(v -> process.terminate(vertx, 10))
        .compose(exitedInTime -> {
          ctx.verify(() -> assertThat(exitedInTime).as("exited within 10 s of SIGTERM").isTrue());
          return watcher[0].done();
        })
        .compose(events -> {
          ctx.verify(() -> {
            JsonObject end = SseCapture.endOf(events).json();
            assertThat(end.getString("status")).as("a stream ends complete, terminated or error").isEqualTo("error");
            assertThat(end.getString("error")).contains("stopped");
            assertThat(upstream.closedWhileStreaming()).isEqualTo(1);
          });
          return restartInProcess(vertx).compose(node -> node.storedMessage("bye", replyId[0], m -> true)).map(stored -> new JsonObject().put("stored", stored).put("streamed", SseCapture.textOf(events)));
        })
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          JsonObject stored = result.getJsonObject("stored");
          assertThat(stored.getString("status")).isEqualTo("interrupted");
          assertThat(stored.getString("content")).isEqualTo(result.getString("streamed"));
          ctx.completeNow();
        })));
  }
}
