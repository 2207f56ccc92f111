package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.Poll;
import parley.support.SseCapture;
import parley.support.SseCapture.Event;
import parley.support.WithNodeSettings;

/**
 * An ended reply is kept for replay: a subscriber who comes after its end gets it whole, or from
 * its Last-Event-ID, with its end; after the retention time, or at once when its chat is deleted,
 * the stream answers 204.
 */
class KeptReplyTest extends WithNodeSettings {
  private static final List<String> TOKENS = List.of("kept ", "for ", "a ", "while");

  @Test
  void anEndedReplyIsReplayedWholeThenGoneAfterTheRetention(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_REPLAY_RETENTION_MS", 8_000))
        .compose(started -> {
          node.upstream().script(Script.tokens(TOKENS, 1));
          return node.sendOk("kept-chat", "hello");
        })
        .compose(exchange -> node.replyEnded("kept-chat"))
        .compose(live -> node.replyEnded("kept-chat").compose(again -> {
          ctx.verify(() -> {
            assertThat(SseCapture.deltasOf(again)).extracting(Event::id).containsExactly("1", "2", "3", "4");
            assertThat(SseCapture.textOf(again)).isEqualTo(String.join("", TOKENS));
            assertThat(SseCapture.endOf(again).json()).isEqualTo(SseCapture.endOf(live).json());
          });
          return node.stream("kept-chat", 2L).compose(SseCapture::done);
        }))
        .compose(resumed -> {
          ctx.verify(() -> {
            assertThat(SseCapture.deltasOf(resumed)).extracting(Event::data).containsExactly("a ", "while");
            assertThat(SseCapture.endOf(resumed).json().getString("status")).isEqualTo("complete");
          });
          return Poll.until(vertx, () -> node.stream("kept-chat", null), sse -> sse.status() == 204, 30_000);
        })
        .compose(gone -> node.history("kept-chat"))
        .onComplete(ctx.succeeding(history -> ctx.verify(() -> {
          assertThat(history.getJsonObject(1).getString("content")).as("the stored message stays").isEqualTo(String.join("", TOKENS));
          ctx.completeNow();
        })));
  }

  @Test
  void aDeletedChatsKeptReplyIsGoneAtOnce(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(started -> {
          node.upstream().script(Script.tokens(TOKENS, 1));
          return node.sendOk("doomed-kept", "hello");
        })
        .compose(exchange -> node.replyEnded("doomed-kept"))
        .compose(live -> node.stream("doomed-kept", null))
        .compose(kept -> {
          ctx.verify(() -> assertThat(kept.status()).as("kept for replay").isEqualTo(200));
          return kept.done();
        })
        .compose(replayed -> node.web().delete(node.port(), "127.0.0.1", "/api/chats/doomed-kept").send())
        .compose(deleted -> {
          ctx.verify(() -> assertThat(deleted.statusCode()).isEqualTo(204));
          return node.stream("doomed-kept", null);
        })
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertThat(after.status()).isEqualTo(204);
          ctx.completeNow();
        })));
  }
}
