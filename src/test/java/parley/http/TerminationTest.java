package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.support.FakeUpstream.Script;
import parley.support.SseCapture;
import parley.support.WithNode;

/** Stop closes the upstream connection, keeps what arrived as terminated, and tells every watcher. */
class TerminationTest extends WithNode {
  private static final List<String> MANY = Collections.nCopies(200, "word ");

  /** Sends this with the model set to answer MANY words, 20 ms apart: time enough to stop the reply. */
  private Future<JsonObject> sendForALongReply(String chatId, String content) {
    node.upstream().script(Script.tokens(MANY, 20));
    return node.sendOk(chatId, content);
  }

  @Test
  void terminateClosesUpstreamStoresPartialAndEndsEverySubscriber(VertxTestContext ctx) {
    String[] replyId = new String[1];
    List<SseCapture> watchers = new ArrayList<>();
    sendForALongReply("stop-me", "talk a lot")
        .compose(ex -> {
          replyId[0] = ex.getJsonObject("reply").getString("id");
          return Future.all(node.stream("stop-me", null), node.stream("stop-me", null));
        })
        .compose(both -> {
          watchers.add(both.resultAt(0));
          watchers.add(both.resultAt(1));
          return watchers.get(0).deltas(3);
        })
        .compose(v -> Future.all(node.terminate("stop-me"), node.upstream().closeWhileStreaming()))
        .compose(answered -> {
          ctx.verify(() -> {
            var response = answered.<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>resultAt(0);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("terminated", true));
          });
          return Future.all(watchers.get(0).done(), watchers.get(1).done());
        })
        .compose(ends -> {
          ctx.verify(() -> {
            for (int i = 0; i < 2; i++) {
              List<SseCapture.Event> events = ends.resultAt(i);
              JsonObject end = SseCapture.endOf(events).json();
              assertThat(end.getString("status")).isEqualTo("terminated");
              assertThat(end.getString("messageId")).isEqualTo(replyId[0]);
              assertThat(SseCapture.deltasOf(events).size()).isBetween(3, MANY.size() - 1);
            }
          });
          return node.storedMessage("stop-me", replyId[0], m -> m.getString("status").equals("terminated"))
              .map(stored -> new Object[] {stored, ends.<List<SseCapture.Event>>resultAt(0)});
        })
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          JsonObject stored = (JsonObject) pair[0];
          @SuppressWarnings("unchecked")
          List<SseCapture.Event> events = (List<SseCapture.Event>) pair[1];
          assertThat(stored.getString("content")).isEqualTo(SseCapture.textOf(events));
          assertThat(node.upstream().closedWhileStreaming()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void terminateWithNothingRunningAnswersFalse(VertxTestContext ctx) {
    node.terminate("idle-chat").onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("terminated", false));
      ctx.completeNow();
    })));
  }

  @Test
  void terminatePublishedOnTheEventBusStopsTheReply(Vertx vertx, VertxTestContext ctx) {
    String[] replyId = new String[1];
    sendForALongReply("bus-stop", "hi")
        .compose(ex -> {
          replyId[0] = ex.getJsonObject("reply").getString("id");
          return node.stream("bus-stop", null);
        })
        .compose(sse -> sse.deltas(2).compose(v -> {
          vertx.eventBus().publish(Addresses.terminate(new ChatId("bus-stop")), new JsonObject());
          return sse.done();
        }))
        .compose(events -> {
          ctx.verify(() -> assertThat(SseCapture.endOf(events).json().getString("status")).isEqualTo("terminated"));
          return node.storedMessage("bus-stop", replyId[0], m -> m.getString("status").equals("terminated"));
        })
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          assertThat(node.upstream().closedWhileStreaming()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void deletingAChatStopsItsReplyAndRemovesItEverywhere(VertxTestContext ctx) {
    sendForALongReply("doomed", "hi")
        .compose(ex -> node.stream("doomed", null))
        .compose(sse -> sse.deltas(2).compose(v -> node.web().delete(node.port(), "127.0.0.1", "/api/chats/doomed").send())
            .compose(deleted -> {
              ctx.verify(() -> assertThat(deleted.statusCode()).isEqualTo(204));
              return sse.done();
            }))
        .compose(events -> {
          ctx.verify(() -> assertThat(SseCapture.endOf(events).json().getString("status")).isEqualTo("terminated"));
          return Future.all(node.history("doomed"), node.web().get(node.port(), "127.0.0.1", "/api/chats").send(),
              node.stream("doomed", null));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<io.vertx.core.json.JsonArray>resultAt(0)).isEmpty();
          var chats = all.<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>resultAt(1).bodyAsJsonArray();
          assertThat(chats.stream().map(c -> ((JsonObject) c).getString("chatId"))).doesNotContain("doomed");
          assertThat(all.<SseCapture>resultAt(2).status()).isEqualTo(204);
          assertThat(node.upstream().closedWhileStreaming()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void secondMessageWhileAReplyStreamsGets409AndStoresNothing(VertxTestContext ctx) {
    sendForALongReply("busy", "first")
        .compose(ex -> node.send("busy", "second"))
        .compose(second -> {
          ctx.verify(() -> {
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(second.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("still streaming");
          });
          return node.history("busy");
        })
        .compose(history -> {
          ctx.verify(() -> assertThat(history).hasSize(2));
          return node.terminate("busy");
        })
        .compose(v -> node.stream("busy", null)).compose(SseCapture::done)
        .compose(ended -> node.sendOk("busy", "third"))
        .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
          assertThat(third.getJsonObject("message").getString("content")).isEqualTo("third");
          ctx.completeNow();
        })));
  }
}
