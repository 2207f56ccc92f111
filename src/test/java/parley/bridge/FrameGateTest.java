package parley.bridge;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.bus.Addresses;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.support.FakeUpstream.Script;
import parley.support.LogCapture;
import parley.support.Poll;

/**
 * Every frame (send, publish, register, unregister, ping) goes past the {@link FrameGate} before it acts: a frame
 * the gate refuses gets an error frame and does nothing; one it lets through acts as the user it
 * names. Here a real node's bridge has a gate that, like a token lookup, answers from outside
 * Vert.x after a while, and about a register after longer than about anything else.
 */
class FrameGateTest extends WithBridgeClient {
  private static final JsonObject ALICE = new JsonObject().put("authorization", "Bearer alice-token");

  private String bridge;
  private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
  /** "ask …" and "answer …" for each frame, in the order they happened. */
  private final List<String> gateLog = Collections.synchronizedList(new ArrayList<>());

  private final FrameGate gate = frame -> {
    String what = frame.type() + " " + frame.address();
    asked.add(what);
    gateLog.add("ask " + what);
    String authorization = String.valueOf(frame.headers().getValue("authorization"));
    CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
    // A register is answered last of all: frames after it must still wait for it.
    long thinkMs = frame.type() == BridgeFrame.Type.REGISTER ? 150 : 20;
    CompletableFuture.delayedExecutor(thinkMs, MILLISECONDS).execute(() -> {
      gateLog.add("answer " + what);
      switch (authorization) {
        case "Bearer alice-token" -> answer.complete(Optional.of("alice"));
        case "Bearer not-yours" -> answer.completeExceptionally(new Rejection(ErrorCode.FORBIDDEN, "forbidden"));
        case "Bearer store-down" -> answer.completeExceptionally(new IllegalStateException("token store down"));
        default -> answer.complete(Optional.empty());
      }
    });
    return Future.fromCompletionStage(answer);
  };

  @BeforeEach
  void startNodeAndGatedBridge(Vertx vertx, VertxTestContext ctx) {
    int port = BridgeClient.freePort();
    start(vertx, Map.of())
        .compose(started -> vertx.deployVerticle(new TcpBridgeVerticle("127.0.0.1", port, gate)))
        .compose(id -> {
          bridge = id;
          return connect(vertx, port);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Override
  protected Future<Void> stopBridge() {
    return node.vertx().undeploy(bridge);
  }

  @Test
  void framesWithoutAValidTokenAreRefusedAndDoNothing(Vertx vertx, VertxTestContext ctx) {
    List<Message<Object>> terminates = new ArrayList<>();
    MessageConsumer<Object> watcher = vertx.eventBus().consumer("parley.chat.gated.terminate", terminates::add);
    watcher.completion().compose(ready -> {
      client.write(new JsonObject().put("type", "register").put("address", "parley.chat.gated.events"));
      client.write(send("parley.messages.send", "r1", new JsonObject().put("chatId", "gated").put("content", "hi"))
          .put("headers", new JsonObject().put("authorization", "Bearer forged")));
      client.write(new JsonObject().put("type", "publish").put("address", "parley.chat.gated.terminate").put("body", new JsonObject().put("n", 1)));
      client.write(new JsonObject().put("type", "ping"));
      // Let through, so that it arrives after the refused publish would have.
      client.write(new JsonObject().put("type", "publish").put("address", "parley.chat.gated.terminate").put("headers", ALICE)
          .put("body", new JsonObject().put("n", 2)));
      client.write(new JsonObject().put("type", "ping").put("headers", ALICE));
      return client.frame(f -> "pong".equals(f.getString("type")));
    })
        .compose(pong -> {
          ctx.verify(() -> assertThat(client.received).containsExactly(
              new JsonObject().put("type", "err").put("message", "unauthenticated"),
              new JsonObject().put("type", "err").put("address", "r1").put("sourceAddress", "parley.messages.send")
                  .put("failureCode", 401).put("failureType", "RECIPIENT_FAILURE").put("message", "unauthenticated"),
              new JsonObject().put("type", "err").put("message", "unauthenticated"),
              new JsonObject().put("type", "err").put("message", "unauthenticated"),
              new JsonObject().put("type", "pong")));
          return Poll.until(vertx, () -> Future.succeededFuture(terminates.size()), n -> n > 0, 5_000);
        })
        .compose(arrived -> node.history("gated"))
        .onComplete(ctx.succeeding(history -> ctx.verify(() -> {
          assertThat(history).as("a refused send stores nothing").isEmpty();
          assertThat(terminates).as("a refused publish publishes nothing").hasSize(1);
          assertThat(((JsonObject) terminates.get(0).body()).getInteger("n")).isEqualTo(2);
          assertThat(asked).containsExactly("REGISTER parley.chat.gated.events", "SEND parley.messages.send",
              "PUBLISH parley.chat.gated.terminate", "PING null", "PUBLISH parley.chat.gated.terminate", "PING null");
          ctx.completeNow();
        })));
  }

  @Test
  void aTokenActsAsItsUserAndFramesKeepTheirOrderWhileTheGateThinks(Vertx vertx, VertxTestContext ctx) {
    node.upstream().script(Script.tokens(List.of("let ", "in"), 10));
    List<Message<Object>> terminates = new ArrayList<>();
    MessageConsumer<Object> watcher = vertx.eventBus().consumer("parley.chat.mine.terminate", terminates::add);
    watcher.completion().compose(ready -> {
      // The send follows the register at once; the gate answers each later: the register is still in place first.
      client.write(new JsonObject().put("type", "register").put("address", "parley.chat.mine.events").put("headers", ALICE));
      client.write(new JsonObject().put("type", "register").put("address", "parley.chat.mine.terminate").put("headers", ALICE));
      client.write(send("parley.messages.send", "r1", new JsonObject().put("chatId", "mine").put("content", "hi")).put("headers", ALICE));
      return client.frame(f -> f.getJsonObject("body") != null && "end".equals(f.getJsonObject("body").getString("type")));
    })
        .compose(end -> {
          ctx.verify(() -> {
            assertThat(end.getJsonObject("body").getString("status")).isEqualTo("complete");
            JsonObject answer = client.received.stream().filter(f -> "r1".equals(f.getString("address"))).findFirst().orElseThrow();
            assertThat(answer.getJsonObject("body").getJsonObject("reply").getString("status")).isEqualTo("streaming");
            List<String> texts = client.received.stream()
                .filter(f -> f.getJsonObject("body") != null && "delta".equals(f.getJsonObject("body").getString("type")))
                .map(f -> f.getJsonObject("body").getString("text")).toList();
            assertThat(String.join("", texts)).as("every delta, though the register was answered after the send arrived").isEqualTo("let in");
            assertThat(gateLog).as("each frame waits for the one before it").containsExactly(
                "ask REGISTER parley.chat.mine.events", "answer REGISTER parley.chat.mine.events",
                "ask REGISTER parley.chat.mine.terminate", "answer REGISTER parley.chat.mine.terminate",
                "ask SEND parley.messages.send", "answer SEND parley.messages.send");
          });
          client.write(new JsonObject().put("type", "publish").put("address", "parley.chat.mine.terminate").put("headers", ALICE)
              .put("body", new JsonObject()));
          return client.frame(f -> "parley.chat.mine.terminate".equals(f.getString("address")));
        })
        .compose(echoed -> {
          ctx.verify(() -> assertThat(echoed.getJsonObject("headers")).as("the user stays inside Parley").isEqualTo(new JsonObject()));
          return Poll.until(vertx, () -> Future.succeededFuture(terminates.size()), n -> n > 0, 5_000);
        })
        .onComplete(ctx.succeeding(arrived -> ctx.verify(() -> {
          Message<Object> terminate = terminates.get(0);
          assertThat(terminate.headers().get(Addresses.USER_HEADER)).isEqualTo("alice");
          assertThat(terminate.headers().names()).as("the client's credentials stay out of the event bus").containsExactly(Addresses.USER_HEADER);
          ctx.completeNow();
        })));
  }

  @Test
  void aGateRefusalKeepsItsReasonAndAFailingGateIsUnavailableWithoutAStackTrace(VertxTestContext ctx) {
    LogCapture log = new LogCapture();
    client.write(send("parley.messages.history", "r1", new JsonObject().put("chatId", "theirs"))
        .put("headers", new JsonObject().put("authorization", "Bearer not-yours")));
    client.write(new JsonObject().put("type", "register").put("address", "parley.chat.theirs.events")
        .put("headers", new JsonObject().put("authorization", "Bearer store-down")));
    client.write(send("parley.store.chat.delete", "r2", new JsonObject().put("chatId", "theirs")).put("headers", ALICE));
    client.write(new JsonObject().put("type", "unregister").put("address", "parley.chat.theirs.events").put("headers", ALICE));
    client.write(new JsonObject().put("type", "ping").put("headers", ALICE));
    client.frame(f -> "pong".equals(f.getString("type")))
        .andThen(done -> log.close())
        .onComplete(ctx.succeeding(pong -> ctx.verify(() -> {
          assertThat(client.received).containsExactly(
              new JsonObject().put("type", "err").put("address", "r1").put("sourceAddress", "parley.messages.history")
                  .put("failureCode", 403).put("failureType", "RECIPIENT_FAILURE").put("message", "forbidden"),
              new JsonObject().put("type", "err").put("message", "unavailable"),
              new JsonObject().put("type", "err").put("address", "r2").put("sourceAddress", "parley.store.chat.delete")
                  .put("failureCode", 403).put("failureType", "RECIPIENT_FAILURE").put("message", "access_denied"),
              new JsonObject().put("type", "err").put("message", "unknown_address"),
              new JsonObject().put("type", "pong"));
          assertThat(asked).as("refused addresses never reach the gate; unregister and ping do")
              .containsExactly("SEND parley.messages.history", "REGISTER parley.chat.theirs.events",
                  "UNREGISTER parley.chat.theirs.events", "PING null");
          assertThat(log.lines()).anyMatch(line -> line.contains("token store down"));
          assertThat(log.lines()).noneMatch(line -> line.contains("\tat "));
          ctx.completeNow();
        })));
  }

  private static JsonObject send(String address, String replyAddress, JsonObject body) {
    return new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress).put("body", body);
  }
}
