package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.LogCapture;
import parley.support.Poll;
import parley.support.SseCapture;
import parley.support.TestNode;
import parley.support.WithNodeSettings;

/** Connections that say nothing, say it slowly, come too many from one address or were told 429 are let go. */
class ConnectionLimitsTest extends WithNodeSettings {
  private static final String GET_CHATS = "GET /api/chats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  private NetClient sockets;

  /** JUnit runs this before the node's own clean-up: the sockets close before the node stops. */
  @AfterEach
  void closeSockets(VertxTestContext ctx) {
    (sockets == null ? Future.<Void>succeededFuture() : sockets.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Override
  protected Future<TestNode> start(Vertx vertx, Map<String, Object> settings) {
    sockets = vertx.createNetClient();
    return super.start(vertx, settings);
  }

  /** A connection that sends this, then nothing more, is closed without an answer once the header deadline passes. */
  private void expectClosedUnanswered(Vertx vertx, VertxTestContext ctx, String sent) {
    start(vertx, Map.of("PARLEY_HTTP_HEADER_TIMEOUT_MS", 300))
        .compose(n -> RawHttp.untilClosed(vertx, node.port(), sent))
        .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
          assertThat(received).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void aConnectionThatSendsNothingIsClosed(Vertx vertx, VertxTestContext ctx) {
    expectClosedUnanswered(vertx, ctx, "");
  }

  @Test
  void aConnectionThatSendsItsHeadersTooSlowlyIsClosed(Vertx vertx, VertxTestContext ctx) {
    expectClosedUnanswered(vertx, ctx, "GET /api/chats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n");
  }

  @Test
  void aKeptAliveConnectionIsClosedOnceIdle(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_HTTP_IDLE_TIMEOUT_MS", 300))
        .compose(n -> RawHttp.untilClosed(vertx, node.port(), GET_CHATS))
        .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
          RawHttp.Answer answer = RawHttp.parse(received);
          assertThat(answer.status()).isEqualTo(200);
          assertThat(answer.header("Connection")).isNull();
          assertThat(answer.body()).isEqualTo("[]");
          ctx.completeNow();
        })));
  }

  @Test
  void aRequestWhoseBodyStallsIsClosedWhenIdle(Vertx vertx, VertxTestContext ctx) {
    String stalled = "POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"chatId\":";
    LogCapture logs = new LogCapture();
    start(vertx, Map.of("PARLEY_HTTP_IDLE_TIMEOUT_MS", 400))
        .compose(n -> RawHttp.untilClosed(vertx, node.port(), stalled))
        .andThen(done -> logs.close())
        .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
          assertThat(received).isEmpty();
          assertThat(logs.lines()).noneMatch(line -> line.contains("Unexpected failure"));
          ctx.completeNow();
        })));
  }

  @Test
  void anOpenStreamOutlivesBothDeadlines(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_HTTP_HEADER_TIMEOUT_MS", 300, "PARLEY_HTTP_IDLE_TIMEOUT_MS", 600, "PARLEY_SSE_KEEPALIVE_MS", 100))
        .compose(n -> {
          node.upstream().script(Script.tokens(List.of("slow ", "but ", "whole"), 700));
          return node.sendOk("patient", "take your time");
        })
        .compose(ex -> node.replyEnded("patient"))
        .onComplete(ctx.succeeding(events -> ctx.verify(() -> {
          assertThat(SseCapture.textOf(events)).isEqualTo("slow but whole");
          assertThat(SseCapture.endOf(events).json().getString("status")).isEqualTo("complete");
          ctx.completeNow();
        })));
  }

  @Test
  void oneAddressHoldsAtMostItsShareOfConnections(Vertx vertx, VertxTestContext ctx) {
    int limit = 3;
    List<Kept> held = new ArrayList<>();
    start(vertx, Map.of("PARLEY_MAX_CONNECTIONS_PER_IP", limit))
        .compose(n -> openAll(limit, held))
        .compose(v -> Future.all(held.stream().map(kept -> kept.request(1)).toList()))
        .compose(v -> Kept.open(sockets, node.port()))
        .compose(extra -> extra.closed)
        .compose(v -> held.get(0).request(2))
        .compose(v -> {
          held.get(1).socket.close();
          held.get(2).socket.close();
          // The server frees the places as soon as it sees the closes: ask until it has.
          return Poll.until(vertx, () -> Kept.open(sockets, node.port()).compose(kept -> kept.answersOrClosed(1)),
              answered -> answered, 5_000);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSocketAnswered429IsClosed(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_MAX_STREAMS_PER_IP", 1))
        .compose(n -> node.sendLongReply("busy"))
        .compose(ex -> node.stream("busy", null))
        .compose(first -> RawHttp.untilClosed(vertx, node.port(), "GET /api/stream/busy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .andThen(done -> first.disconnect()))
        .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
          RawHttp.Answer answer = RawHttp.parse(received);
          assertThat(answer.status()).isEqualTo(429);
          assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
          assertThat(answer.header("Retry-After")).isEqualTo("5");
          assertThat(answer.errorCode()).isEqualTo("rate_limited");
          ctx.completeNow();
        })));
  }

  private Future<Void> openAll(int count, List<Kept> into) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      chain = chain.compose(v -> Kept.open(sockets, node.port()).map(kept -> {
        into.add(kept);
        return null;
      }));
    }
    return chain;
  }

  /** A kept-alive connection that sends GET /api/chats when asked and counts the answers. */
  private static final class Kept {
    final NetSocket socket;
    final Future<Void> closed;
    private final StringBuilder received = new StringBuilder();
    private final List<Runnable> watchers = new ArrayList<>();

    private Kept(NetSocket socket) {
      this.socket = socket;
      Promise<Void> gone = Promise.promise();
      this.closed = gone.future();
      socket.handler(data -> {
        received.append(data.toString());
        new ArrayList<>(watchers).forEach(Runnable::run);
      });
      socket.closeHandler(v -> {
        gone.tryComplete();
        new ArrayList<>(watchers).forEach(Runnable::run);
      });
    }

    static Future<Kept> open(NetClient client, int port) {
      return client.connect(port, "127.0.0.1").map(Kept::new);
    }

    /** Sends one more request and completes once this many answers came on the connection. */
    Future<Void> request(int answersInAll) {
      return socket.write(Buffer.buffer(GET_CHATS)).compose(v -> until(text -> count(text) >= answersInAll, true));
    }

    /** True once answered, false if the server closed it instead. */
    Future<Boolean> answersOrClosed(int answersInAll) {
      return socket.write(Buffer.buffer(GET_CHATS)).compose(v -> until(text -> count(text) >= answersInAll, false))
          .map(v -> count(received.toString()) >= answersInAll)
          .andThen(done -> socket.close());
    }

    private Future<Void> until(Predicate<String> condition, boolean failOnClose) {
      Promise<Void> met = Promise.promise();
      Runnable check = () -> {
        if (condition.test(received.toString())) {
          met.tryComplete();
        } else if (closed.isComplete()) {
          if (failOnClose) {
            met.tryFail(new AssertionError("the server closed a connection it should keep; it said: " + received));
          } else {
            met.tryComplete();
          }
        }
      };
      watchers.add(check);
      check.run();
      return met.future();
    }

    private static int count(String text) {
      int answers = 0;
      for (int at = text.indexOf("HTTP/1.1 200"); at >= 0; at = text.indexOf("HTTP/1.1 200", at + 1)) {
        answers++;
      }
      return answers;
    }
  }
}
