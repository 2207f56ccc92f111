package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.SseCapture;
import parley.support.SseCapture.Event;
import parley.support.TestNode;
import parley.support.WithNode;

/** A sent message gets a reply that streams token by token to every watcher, and is stored. */
class SendAndStreamTest extends WithNode {
  private static final List<String> TOKENS = List.of("The ", "quick ", "brown ", "fox\n", "jumps ", "over ", "the ", "lazy ", "dog.");
  private static final String TEXT = String.join("", TOKENS);

  @Test
  void replyStreamsInOrderWithSseHeadersAndIsStoredComplete(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(TOKENS, 10));
    node.sendOk("chat-1", "Tell me about foxes").compose(exchange -> {
      JsonObject reply = exchange.getJsonObject("reply");
      ctx.verify(() -> {
        assertThat(exchange.getJsonObject("message").getString("content")).isEqualTo("Tell me about foxes");
        assertThat(exchange.getJsonObject("message").getString("sender")).isEqualTo("user");
        assertThat(reply.getString("sender")).isEqualTo("bot");
        assertThat(reply.getString("status")).isEqualTo("streaming");
      });
      return node.stream("chat-1", null).compose(sse -> {
        ctx.verify(() -> {
          assertThat(sse.status()).isEqualTo(200);
          assertThat(sse.headers().get("Content-Type")).startsWith("text/event-stream");
          assertThat(sse.headers().get("Cache-Control")).isEqualTo("no-cache");
          assertThat(sse.headers().get("X-Accel-Buffering")).isEqualTo("no");
        });
        return sse.done();
      }).compose(events -> {
        ctx.verify(() -> {
          List<Event> deltas = SseCapture.deltasOf(events);
          assertThat(deltas).extracting(Event::id).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
          assertThat(SseCapture.textOf(events)).isEqualTo(TEXT);
          JsonObject end = SseCapture.endOf(events).json();
          assertThat(end.getString("status")).isEqualTo("complete");
          assertThat(end.getString("messageId")).isEqualTo(reply.getString("id"));
        });
        return node.storedMessage("chat-1", reply.getString("id"), m -> m.getString("status").equals("complete"));
      }).compose(stored -> {
        ctx.verify(() -> assertThat(stored.getString("content")).isEqualTo(TEXT));
        return node.history("chat-1");
      });
    }).onComplete(ctx.succeeding(history -> ctx.verify(() -> {
      assertThat(history).hasSize(2);
      assertThat(history.getJsonObject(0).getString("sender")).isEqualTo("user");
      assertThat(history.getJsonObject(1).getString("sender")).isEqualTo("bot");
      assertThat(node.upstream().authorizations()).containsExactly("Bearer " + TestNode.API_KEY);
      ctx.completeNow();
    })));
  }

  @Test
  void modelGetsTheChatsEarlierMessagesAsContext(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(List.of("First answer."), 5));
    node.sendOk("ctx-chat", "first question")
        .compose(ex -> node.replyEnded("ctx-chat"))
        .compose(v -> node.sendOk("ctx-chat", "second question"))
        .compose(ex -> node.storedMessage("ctx-chat", ex.getJsonObject("reply").getString("id"), m -> m.getString("status").equals("complete")))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          JsonObject second = node.upstream().requests().get(1);
          assertThat(second.getBoolean("stream")).isTrue();
          assertThat(second.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("role") + ":" + ((JsonObject) m).getString("content")))
              .containsExactly("user:first question", "assistant:First answer.", "user:second question");
          ctx.completeNow();
        })));
  }

  @Test
  void twelveLongMessagesNeverMakeAnUpstreamRequestPastTheContextCap(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(List.of("ok"), 1));
    String longMessage = "x".repeat(32_000);
    Future<Void> sent = Future.succeededFuture();
    for (int i = 0; i < 12; i++) {
      sent = sent.compose(v -> node.sendOk("long-chat", longMessage)).compose(ex -> node.replyEnded("long-chat")).mapEmpty();
    }
    sent.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      JsonObject last = node.upstream().requests().get(node.upstream().requests().size() - 1);
      int chars = last.getJsonArray("messages").stream().mapToInt(m -> ((JsonObject) m).getString("content").length()).sum();
      assertThat(chars).isLessThanOrEqualTo(node.settings().contextMaxChars());
      assertThat(last.getJsonArray("messages").getJsonObject(last.getJsonArray("messages").size() - 1).getString("content"))
          .isEqualTo(longMessage);
      ctx.completeNow();
    })));
  }

  @Test
  void lateSubscriberGetsTheWholeReplyFromTheFirstToken(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(TOKENS, 5));
    node.sendOk("late", "hi")
        .compose(ex -> node.storedMessage("late", ex.getJsonObject("reply").getString("id"), m -> m.getString("status").equals("complete")))
        .compose(finished -> node.stream("late", null))
        .compose(SseCapture::done)
        .onComplete(ctx.succeeding(events -> ctx.verify(() -> {
          assertThat(SseCapture.textOf(events)).isEqualTo(TEXT);
          assertThat(SseCapture.endOf(events).json().getString("status")).isEqualTo("complete");
          ctx.completeNow();
        })));
  }

  @Test
  void twoSubscribersEachGetEveryTokenOnce(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(TOKENS, 20));
    node.sendOk("two", "hi")
        .compose(ex -> Future.all(node.stream("two", null), node.stream("two", null)))
        .compose(both -> Future.all(both.<SseCapture>resultAt(0).done(), both.<SseCapture>resultAt(1).done()))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          for (int i = 0; i < 2; i++) {
            List<Event> events = results.resultAt(i);
            assertThat(SseCapture.textOf(events)).isEqualTo(TEXT);
            assertThat(SseCapture.deltasOf(events)).hasSize(TOKENS.size());
          }
          ctx.completeNow();
        })));
  }

  @Test
  void lastEventIdResumesRightAfterThatTokenWithNothingTwiceOrSkipped(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(TOKENS, 30));
    List<Event> firstPart = new ArrayList<>();
    node.sendOk("resume", "hi")
        .compose(ex -> node.stream("resume", null))
        .compose(sse -> sse.deltas(3).map(v -> {
          firstPart.addAll(SseCapture.deltasOf(sse.events()));
          sse.disconnect();
          return null;
        }))
        .compose(v -> node.stream("resume", Long.valueOf(firstPart.get(firstPart.size() - 1).id())))
        .compose(SseCapture::done)
        .onComplete(ctx.succeeding(rest -> ctx.verify(() -> {
          List<Event> restDeltas = SseCapture.deltasOf(rest);
          assertThat(Long.parseLong(restDeltas.get(0).id())).isEqualTo(Long.parseLong(firstPart.get(firstPart.size() - 1).id()) + 1);
          assertThat(SseCapture.textOf(firstPart) + SseCapture.textOf(rest)).isEqualTo(TEXT);
          assertThat(SseCapture.endOf(rest).json().getString("status")).isEqualTo("complete");
          ctx.completeNow();
        })));
  }

  @Test
  void replyRunsToItsEndWhenEveryWatcherHasGone(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(TOKENS, 20));
    String[] replyId = new String[1];
    node.sendOk("gone", "hi")
        .compose(ex -> {
          replyId[0] = ex.getJsonObject("reply").getString("id");
          return node.stream("gone", null);
        })
        .compose(sse -> sse.deltas(2).map(v -> {
          sse.disconnect();
          return null;
        }))
        .compose(v -> node.storedMessage("gone", replyId[0], m -> m.getString("status").equals("complete")))
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          assertThat(stored.getString("content")).isEqualTo(TEXT);
          assertThat(node.upstream().closedWhileStreaming()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void streamOfAChatWithNoReplyAnswers204(VertxTestContext ctx) {
    node.stream("never-used", null).onComplete(ctx.succeeding(sse -> ctx.verify(() -> {
      assertThat(sse.status()).isEqualTo(204);
      ctx.completeNow();
    })));
  }

  @Test
  void replyInProgressIsCheckpointedToTheStore(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(TOKENS, 100));
    node.sendOk("checkpoint", "hi")
        .compose(ex -> node.storedMessage("checkpoint", ex.getJsonObject("reply").getString("id"),
            m -> m.getString("status").equals("streaming") && m.getString("content").length() > 0))
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          assertThat(TEXT).startsWith(stored.getString("content"));
          assertThat(stored.getString("content")).isNotEqualTo(TEXT);
          ctx.completeNow();
        })));
  }
}
