package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Failure;
import parley.support.FakeUpstream.Script;
import parley.support.LogCapture;
import parley.support.SseCapture;
import parley.support.TestNode;
import parley.support.WithNodeSettings;

/** When the model fails, the reply ends as error with a readable reason, and what arrived is kept. */
class UpstreamFailureTest extends WithNodeSettings {
  private static final List<String> TOKENS = List.of("one ", "two ", "three ", "four ", "five");

  private final LogCapture logs = new LogCapture();

  @AfterEach
  void closeLogs() {
    logs.close();
  }

  private Future<JsonObject> failedReply(Vertx vertx, Script script, Map<String, Object> settings) {
    return start(vertx, settings).compose(started -> {
      node.upstream().script(script);
      return node.sendOk("failing", "hi");
    }).compose(ex -> {
      String replyId = ex.getJsonObject("reply").getString("id");
      return node.stream("failing", null).compose(SseCapture::done).compose(events -> node
          .storedMessage("failing", replyId, m -> m.getString("status").equals("error"))
          .map(stored -> new JsonObject()
              .put("end", SseCapture.endOf(events).json())
              .put("streamed", SseCapture.textOf(events))
              .put("stored", stored.getString("content"))));
    });
  }

  /** Checks the failed reply, then ends the test. */
  private void expectFailedReply(Vertx vertx, VertxTestContext ctx, Script script, Map<String, Object> settings, Consumer<JsonObject> check) {
    failedReply(vertx, script, settings).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      check.accept(result);
      ctx.completeNow();
    })));
  }

  @Test
  void upstream500EndsTheReplyAsErrorWithItsMessage(Vertx vertx, VertxTestContext ctx) {
    expectFailedReply(vertx, ctx, Script.tokens(TOKENS, 5).failing(Failure.HTTP_500, 0), Map.of(), result -> {
      JsonObject end = result.getJsonObject("end");
      assertThat(end.getString("status")).isEqualTo("error");
      assertThat(end.getString("error")).contains("500").contains("the fake model is down");
      assertThat(result.getString("stored")).isEmpty();
      assertNoSecretLeaked(end.encode());
    });
  }

  @Test
  void upstreamThatStallsIsCutOffAfterTheIdleTimeoutKeepingWhatArrived(Vertx vertx, VertxTestContext ctx) {
    expectFailedReply(vertx, ctx, Script.tokens(TOKENS, 5).failing(Failure.STALL, 2), Map.of("PARLEY_LLM_IDLE_TIMEOUT_MS", 300), result -> {
      assertThat(result.getJsonObject("end").getString("error")).contains("sent nothing for 0.3 s");
      assertThat(result.getString("streamed")).isEqualTo("one two ");
      assertThat(result.getString("stored")).isEqualTo("one two ");
    });
  }

  @Test
  void malformedChunkEndsTheReplyAsError(Vertx vertx, VertxTestContext ctx) {
    expectFailedReply(vertx, ctx, Script.tokens(TOKENS, 5).failing(Failure.MALFORMED_CHUNK, 3), Map.of(), result -> {
      assertThat(result.getJsonObject("end").getString("error")).contains("malformed");
      assertThat(result.getString("stored")).isEqualTo("one two three ");
    });
  }

  @Test
  void connectionDroppedMidReplyEndsItAsError(Vertx vertx, VertxTestContext ctx) {
    expectFailedReply(vertx, ctx, Script.tokens(TOKENS, 5).failing(Failure.CLOSE_EARLY, 2), Map.of(), result -> {
      assertThat(result.getJsonObject("end").getString("status")).isEqualTo("error");
      assertThat(result.getString("stored")).isEqualTo("one two ");
    });
  }

  @Test
  void unreachableUpstreamEndsTheReplyAsErrorAndTheServiceGoesOn(Vertx vertx, VertxTestContext ctx) {
    failedReply(vertx, Script.tokens(TOKENS, 5), Map.of("PARLEY_LLM_BASE_URL", "http://127.0.0.1:1/v1"))
        .compose(result -> {
          ctx.verify(() -> assertThat(result.getJsonObject("end").getString("error")).contains("could not reach the model"));
          return node.history("failing");
        })
        .onComplete(ctx.succeeding(history -> ctx.verify(() -> {
          assertThat(history).hasSize(2);
          assertNoSecretLeaked(String.join("\n", logs.lines()));
          ctx.completeNow();
        })));
  }

  private static void assertNoSecretLeaked(String text) {
    assertThat(text).doesNotContain(TestNode.API_KEY);
  }
}
