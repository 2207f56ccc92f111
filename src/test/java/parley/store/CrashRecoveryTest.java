package parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxTestContext;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.Poll;
import parley.support.WithNodeProcess;

/**
 * A node killed with SIGKILL mid-reply: on the next start the user message is there, and the
 * reply is marked interrupted with the text checkpointed before the kill.
 */
class CrashRecoveryTest extends WithNodeProcess {
  private static final List<String> TOKENS = Collections.nCopies(400, "tok ");

  @Test
  void killedNodeLosesAtMostTheLastMomentOfAReply(Vertx vertx, VertxTestContext ctx) {
    WebClient web = WebClient.create(vertx);
    String[] replyId = new String[1];
    startProcess(vertx, Script.tokens(TOKENS, 25), Map.of("PARLEY_CHECKPOINT_MS", "100"))
        .compose(node -> web.post(node.port(), "127.0.0.1", "/api/messages")
            .sendJsonObject(new JsonObject().put("chatId", "crash").put("content", "keep going")))
        .compose(posted -> {
          replyId[0] = posted.bodyAsJsonObject().getJsonObject("reply").getString("id");
          return Poll.until(vertx, () -> history(web), history -> contentOf(history, replyId[0]).length() >= "tok ".length() * 10, 30_000);
        })
        .compose(seen -> {
          // Checkpoints go one at a time, each acknowledged only once committed: when a newer one
          // shows, the one seen is on disk.
          String seenText = contentOf(seen, replyId[0]);
          return Poll.until(vertx, () -> history(web), history -> contentOf(history, replyId[0]).length() > seenText.length(), 30_000)
              .map(seen);
        })
        .compose(seen -> process.kill(vertx).map(seen))
        .compose(seenBeforeKill -> restartInProcess(vertx).compose(node -> node.history("crash")).map(after -> new JsonArray().add(seenBeforeKill).add(after)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonArray after = both.getJsonArray(1);
          assertThat(after).hasSize(2);
          assertThat(after.getJsonObject(0).getString("content")).isEqualTo("keep going");
          JsonObject reply = after.getJsonObject(1);
          assertThat(reply.getString("status")).isEqualTo("interrupted");
          assertThat(reply.getString("content")).startsWith(contentOf(both.getJsonArray(0), replyId[0]));
          assertThat(String.join("", TOKENS)).startsWith(reply.getString("content"));
          ctx.completeNow();
        })));
  }

  private Future<JsonArray> history(WebClient web) {
    return web.get(process.port(), "127.0.0.1", "/api/messages/crash").send().map(r -> r.bodyAsJsonArray());
  }

  private static String contentOf(JsonArray history, String id) {
    return history.stream().map(JsonObject.class::cast).filter(m -> m.getString("id").equals(id))
        .map(m -> m.getString("content")).findFirst().orElse("");
  }
}
