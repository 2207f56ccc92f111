package parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.SseCapture;
import parley.support.WithNode;

/** History survives a restart, and a reply running when the node stops is kept as interrupted. */
class RestartTest extends WithNode {

  @Test
  void historyAndChatListSurviveARestart(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(List.of("Kept ", "across ", "restarts."), 5));
    node.sendOk("durable", "remember this")
        .compose(ex -> node.storedMessage("durable", ex.getJsonObject("reply").getString("id"), m -> m.getString("status").equals("complete")))
        .compose(v -> node.history("durable"))
        .compose(before -> node.restart().compose(v -> node.history("durable")).map(after -> {
          ctx.verify(() -> assertThat(after).isEqualTo(before));
          return after;
        }))
        .compose(v -> node.web().get(node.port(), "127.0.0.1", "/api/chats").send())
        .onComplete(ctx.succeeding(chats -> ctx.verify(() -> {
          JsonObject chat = chats.bodyAsJsonArray().getJsonObject(0);
          assertThat(chat.getString("chatId")).isEqualTo("durable");
          assertThat(chat.getString("title")).isEqualTo("remember this");
          ctx.completeNow();
        })));
  }

  @Test
  void replyRunningWhenTheNodeStopsIsStoredInterruptedAndWatchersAreTold(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(Collections.nCopies(500, "more "), 20));
    String[] replyId = new String[1];
    node.sendOk("cut", "go on forever")
        .compose(ex -> {
          replyId[0] = ex.getJsonObject("reply").getString("id");
          return node.stream("cut", null);
        })
        .compose(sse -> sse.deltas(3).compose(v -> node.restart()).compose(v -> sse.done()))
        .compose(events -> {
          ctx.verify(() -> assertThat(SseCapture.endOf(events).json().getString("status")).isEqualTo("error"));
          return node.storedMessage("cut", replyId[0], m -> true).map(stored -> {
            ctx.verify(() -> {
              assertThat(stored.getString("status")).isEqualTo("interrupted");
              assertThat(stored.getString("content")).isEqualTo(SseCapture.textOf(events));
            });
            return stored;
          });
        })
        .compose(v -> node.sendOk("cut", "are you back?"))
        .onComplete(ctx.succeeding(ex -> ctx.verify(() -> {
          assertThat(ex.getJsonObject("reply").getString("status")).isEqualTo("streaming");
          ctx.completeNow();
        })));
  }
}
