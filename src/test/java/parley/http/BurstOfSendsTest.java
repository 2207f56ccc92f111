package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.WithNodeSettings;

/**
 * Sends arriving all at once are started a few at a time (PARLEY_SENDS_AT_ONCE), in turn: every
 * one is answered and streams; one that waited past PARLEY_SEND_WAIT_MS is refused whole.
 */
class BurstOfSendsTest extends WithNodeSettings {
  private static final int SENDS = 30;

  private List<Future<HttpResponse<Buffer>>> burst(String prefix) {
    node.upstream().script(Script.tokens(List.of("a", "b", "c"), 1));
    return IntStream.range(0, SENDS).mapToObj(i -> node.send(prefix + i, "hello " + i)).toList();
  }

  @Test
  void everySendOfABurstIsStartedInTurnAndStreams(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_SENDS_AT_ONCE", 1))
        .compose(started -> Future.all(burst("turn-")))
        .compose(answers -> {
          ctx.verify(() -> answers.<HttpResponse<Buffer>>list()
              .forEach(answer -> assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(201)));
          List<Future<?>> ended = new ArrayList<>();
          IntStream.range(0, SENDS).forEach(i -> ended.add(node.replyEnded("turn-" + i)));
          return Future.all(ended);
        })
        .compose(v -> node.history("turn-" + (SENDS - 1)))
        .onComplete(ctx.succeeding(history -> ctx.verify(() -> {
          assertThat(history).hasSize(2);
          assertThat(history.getJsonObject(1).getString("content")).isEqualTo("abc");
          assertThat(history.getJsonObject(1).getString("status")).isEqualTo("complete");
          ctx.completeNow();
        })));
  }

  @Test
  void aSendThatWaitedTooLongIsRefusedAndNothingOfItIsStored(Vertx vertx, VertxTestContext ctx) {
    List<Integer> refused = new ArrayList<>();
    start(vertx, Map.of("PARLEY_SENDS_AT_ONCE", 1, "PARLEY_SEND_WAIT_MS", 1))
        .compose(started -> Future.join(burst("wait-")))
        .compose(done -> {
          List<HttpResponse<Buffer>> answers = done.list();
          IntStream.range(0, SENDS).filter(i -> answers.get(i).statusCode() == 503).forEach(refused::add);
          ctx.verify(() -> {
            assertThat(refused).as("each waits for the one before it, which takes more than a millisecond").isNotEmpty();
            answers.forEach(answer -> assertThat(answer.statusCode()).isIn(201, 503));
            refused.forEach(i -> assertThat(answers.get(i).bodyAsJsonObject().getJsonObject("error").getString("code"))
                .isEqualTo("unavailable"));
          });
          return Future.all(refused.stream().map(i -> node.history("wait-" + i)).toList());
        })
        .compose(histories -> {
          ctx.verify(() -> histories.<io.vertx.core.json.JsonArray>list().forEach(history -> assertThat(history).isEmpty()));
          return node.web().get(node.port(), "127.0.0.1", "/api/chats").send();
        })
        .onComplete(ctx.succeeding(chats -> ctx.verify(() -> {
          assertThat(chats.bodyAsJsonArray()).as("the accepted sends' chats, and no other").hasSize(SENDS - refused.size());
          ctx.completeNow();
        })));
  }
}
