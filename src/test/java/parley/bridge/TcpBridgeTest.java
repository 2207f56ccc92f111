package parley.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;

/**
 * A service outside the JVM speaks the TCP bridge's wire protocol (4-byte big-endian length, then
 * a JSON frame): it sends a message, receives the deltas and the end, stops a reply, reads
 * history, and is refused any address that is not Parley's public API.
 */
class TcpBridgeTest extends WithBridgeClient {
  @BeforeEach
  void startNodeAndClient(Vertx vertx, VertxTestContext ctx) {
    startWithBridge(vertx).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void sendReceiveDeltasAndEndThenReadHistory(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(List.of("over ", "the ", "bridge"), 20));
    client.write(new JsonObject().put("type", "register").put("address", "parley.chat.bridged.events"));
    client.write(new JsonObject().put("type", "send").put("address", "parley.messages.send").put("replyAddress", "reply-1")
        .put("body", new JsonObject().put("chatId", "bridged").put("content", "hello from outside")));
    client.frame(f -> "reply-1".equals(f.getString("address")))
        .compose(answer -> {
          ctx.verify(() -> assertThat(answer.getJsonObject("body").getJsonObject("reply").getString("status")).isEqualTo("streaming"));
          return client.frame(f -> f.getJsonObject("body") != null && "end".equals(f.getJsonObject("body").getString("type")));
        })
        .compose(end -> {
          ctx.verify(() -> {
            assertThat(end.getJsonObject("body").getString("status")).isEqualTo("complete");
            List<String> texts = client.received.stream()
                .filter(f -> f.getJsonObject("body") != null && "delta".equals(f.getJsonObject("body").getString("type")))
                .map(f -> f.getJsonObject("body").getString("text")).toList();
            assertThat(String.join("", texts)).isEqualTo("over the bridge");
          });
          client.write(new JsonObject().put("type", "send").put("address", "parley.messages.history").put("replyAddress", "reply-2")
              .put("body", new JsonObject().put("chatId", "bridged")));
          return client.frame(f -> "reply-2".equals(f.getString("address")));
        })
        .onComplete(ctx.succeeding(history -> ctx.verify(() -> {
          JsonArray messages = history.getJsonArray("body");
          assertThat(messages).hasSize(2);
          assertThat(messages.getJsonObject(0).getString("content")).isEqualTo("hello from outside");
          assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("over the bridge");
          ctx.completeNow();
        })));
  }

  @Test
  void publishedTerminateStopsTheReply(VertxTestContext ctx) {
    node.upstream().script(Script.tokens(Collections.nCopies(300, "long "), 20));
    client.write(new JsonObject().put("type", "register").put("address", "parley.chat.halt.events"));
    client.write(new JsonObject().put("type", "send").put("address", "parley.messages.send").put("replyAddress", "r")
        .put("body", new JsonObject().put("chatId", "halt").put("content", "go")));
    client.frame(f -> f.getJsonObject("body") != null && "delta".equals(f.getJsonObject("body").getString("type")))
        .compose(firstDelta -> {
          client.write(new JsonObject().put("type", "publish").put("address", "parley.chat.halt.terminate").put("body", new JsonObject()));
          return client.frame(f -> f.getJsonObject("body") != null && "end".equals(f.getJsonObject("body").getString("type")));
        })
        .compose(end -> {
          ctx.verify(() -> assertThat(end.getJsonObject("body").getString("status")).isEqualTo("terminated"));
          return node.upstream().closedWhileStreaming() > 0 ? Future.succeededFuture() : node.upstream().closeWhileStreaming();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void invalidMessageGetsAFailureAndOtherAddressesAreRefused(VertxTestContext ctx) {
    client.write(new JsonObject().put("type", "send").put("address", "parley.messages.send").put("replyAddress", "bad")
        .put("body", new JsonObject().put("chatId", "a.b").put("content", "hi")));
    client.frame(f -> "bad".equals(f.getString("address")) || "err".equals(f.getString("type")))
        .compose(failure -> {
          ctx.verify(() -> {
            assertThat(failure.getInteger("failureCode")).isEqualTo(400);
            assertThat(failure.getString("message")).contains("chatId");
          });
          Future<JsonObject> refused = client.nextFrame(f -> "err".equals(f.getString("type")));
          client.write(new JsonObject().put("type", "send").put("address", "parley.store.chat.delete").put("replyAddress", "x")
              .put("body", new JsonObject().put("chatId", "victim")));
          return refused;
        })
        .onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
          assertThat(refused.getString("message")).isEqualTo("access_denied");
          ctx.completeNow();
        })));
  }
}
