package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.SseCapture;
import parley.support.WithNodeSettings;

/** SSE connections are kept alive through proxies, limited per client and node, and a slow one hurts no one. */
class SseConnectionsTest extends WithNodeSettings {
  @Test
  void idleStreamGetsKeepAliveComments(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_SSE_KEEPALIVE_MS", 100))
        .compose(n -> {
          node.upstream().script(Script.tokens(List.of("slow ", "reply"), 600));
          return node.sendOk("quiet", "take your time");
        })
        .compose(ex -> node.stream("quiet", null)).compose(SseCapture::done)
        .onComplete(ctx.succeeding(events -> ctx.verify(() -> {
          assertThat(events).anyMatch(event -> "keep-alive".equals(event.comment()));
          assertThat(SseCapture.textOf(events)).isEqualTo("slow reply");
          ctx.completeNow();
        })));
  }

  /**
   * The comment comes once a whole interval has passed since the last write, not at the next tick
   * of a clock that started with the stream: no stretch without a line is much longer than the
   * interval, however the deltas fall between its ticks.
   */
  @Test
  void noIdleStretchOutlastsTheKeepAliveInterval(Vertx vertx, VertxTestContext ctx) {
    long intervalMs = 300;
    start(vertx, Map.of("PARLEY_SSE_KEEPALIVE_MS", intervalMs))
        .compose(n -> {
          node.upstream().script(Script.tokens(List.of("one ", "two ", "three ", "four"), 1_100));
          return node.sendOk("sparse", "pause between words");
        })
        .compose(ex -> node.stream("sparse", null))
        .compose(sse -> sse.done().map(events -> sse.arrivals()))
        .onComplete(ctx.succeeding(arrivals -> ctx.verify(() -> {
          List<Long> gapsMs = new ArrayList<>();
          for (int i = 1; i < arrivals.size(); i++) {
            gapsMs.add((arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000);
          }
          // Room for a busy machine's timers; a tick that skips would leave up to two intervals.
          assertThat(gapsMs).isNotEmpty().allSatisfy(gap -> assertThat(gap).isLessThan(intervalMs + 170));
          ctx.completeNow();
        })));
  }

  @Test
  void streamsPastTheLimitPerClientGet429WithRetryAfter(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_MAX_STREAMS_PER_IP", 2))
        .compose(n -> node.sendLongReply("many"))
        .compose(ex -> Future.all(node.stream("many", null), node.stream("many", null)))
        .compose(two -> node.web().get(node.port(), "127.0.0.1", "/api/stream/many").send().compose(third -> {
          ctx.verify(() -> {
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.getHeader("Retry-After")).isEqualTo("5");
            assertThat(third.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("limit per client");
          });
          two.<SseCapture>resultAt(0).disconnect();
          return two.<SseCapture>resultAt(1).deltas(3);
        }))
        .compose(v -> awaitStreamAccepted("many"))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertThat(status).isEqualTo(200);
          ctx.completeNow();
        })));
  }

  /** A closed stream frees its place as soon as the server sees the close: ask until it has. */
  private Future<Integer> awaitStreamAccepted(String chatId) {
    return parley.support.Poll.until(node.vertx(), () -> node.stream(chatId, null).map(sse -> {
      if (sse.status() == 200) {
        sse.disconnect();
      }
      return sse.status();
    }), status -> status == 200, 5_000);
  }

  @Test
  void subscriberThatStopsReadingIsCutOffWithoutSlowingTheOthers(Vertx vertx, VertxTestContext ctx) {
    String token = "y".repeat(8 * 1024);
    List<String> tokens = Collections.nCopies(1500, token);
    start(vertx, Map.of("PARLEY_SSE_MAX_PENDING_EVENTS", 20))
        .compose(n -> {
          node.upstream().script(Script.tokens(tokens, 1));
          return node.sendOk("firehose", "everything, fast");
        })
        .compose(ex -> vertx.executeBlocking(() -> stalledReader(node.port(), "firehose"))
            .compose(stalled -> node.stream("firehose", null).compose(SseCapture::done)
                .compose(fast -> {
                  ctx.verify(() -> {
                    assertThat(SseCapture.deltasOf(fast)).hasSize(tokens.size());
                    assertThat(SseCapture.endOf(fast).json().getString("status")).isEqualTo("complete");
                  });
                  return node.storedMessage("firehose", ex.getJsonObject("reply").getString("id"), m -> m.getString("status").equals("complete"));
                })
                .compose(stored -> vertx.executeBlocking(() -> readToEnd(stalled)))))
        .onComplete(ctx.succeeding(slowSaw -> ctx.verify(() -> {
          assertThat(slowSaw).startsWith("HTTP/1.1 200");
          assertThat(slowSaw).doesNotContain("event: end");
          assertThat(slowSaw.length()).isLessThan(tokens.size() * token.length());
          ctx.completeNow();
        })));
  }

  /** Opens the stream with a tiny receive buffer and reads nothing. */
  private static Socket stalledReader(int port, String chatId) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    OutputStream out = socket.getOutputStream();
    out.write(("GET /api/stream/" + chatId + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  /** Everything the server sent before it closed (or reset) the connection. */
  private static String readToEnd(Socket socket) throws Exception {
    socket.setSoTimeout(20_000);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (socket; InputStream in = socket.getInputStream()) {
      byte[] buffer = new byte[64 * 1024];
      for (int read; (read = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, read);
      }
    } catch (java.net.SocketException reset) {
      // a reset ends the stream as surely as a close
    }
    return all.toString(StandardCharsets.UTF_8);
  }
}
