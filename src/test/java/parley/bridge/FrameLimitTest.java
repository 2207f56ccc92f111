package parley.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.support.LogCapture;
import parley.support.TestNode;

/**
 * A frame may be up to 1 MiB long. One that announces more gets an error frame and the connection
 * is closed at once, without the node waiting for (or making room for) the body it announced; the
 * node goes on serving other connections.
 */
@ExtendWith(VertxExtension.class)
class FrameLimitTest {
  private static final int MIB = 1 << 20;

  @TempDir Path dataDir;
  private TestNode node;
  private int port;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    port = BridgeClient.freePort();
    TestNode.start(vertx, dataDir, Map.of("PARLEY_BRIDGE_PORT", port)).onComplete(ctx.succeeding(started -> {
      node = started;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    node.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void announcingAGibibyteClosesTheConnectionAfterAnErrorFrame(Vertx vertx, VertxTestContext ctx) {
    LogCapture log = new LogCapture();
    refusedThenServesANewConnection(vertx, 1L << 30)
        .andThen(done -> log.close())
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertThat(log.lines()).anyMatch(line -> line.contains("announced a frame of 1073741824 bytes"));
          assertThat(log.lines()).noneMatch(line -> line.contains("\tat ") || line.contains("Exception"));
          ctx.completeNow();
        })));
  }

  @Test
  void aLengthWithTheTopBitSetIsTooLongNotNegative(Vertx vertx, VertxTestContext ctx) {
    refusedThenServesANewConnection(vertx, 0xFFFF_FFFFL).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void oneMebibyteIsAllowedOneByteMoreIsNot(Vertx vertx, VertxTestContext ctx) {
    BridgeClient.connect(vertx, port)
        .compose(client -> {
          client.writePayload(pingOfLength(MIB));
          return client.frame(f -> "pong".equals(f.getString("type")))
              .compose(pong -> {
                client.writePayload(pingOfLength(MIB + 1));
                return client.closed();
              })
              .map(closed -> {
                ctx.verify(() -> assertThat(client.received).containsExactly(
                    new JsonObject().put("type", "pong"),
                    new JsonObject().put("type", "err").put("message", "frame_too_long")));
                return closed;
              });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Only the 4-byte length and a few bytes of a body follow: the refusal cannot have waited for the rest. */
  private Future<Void> refusedThenServesANewConnection(Vertx vertx, long announced) {
    return BridgeClient.connect(vertx, port)
        .compose(client -> {
          client.socket.write(Buffer.buffer().appendUnsignedInt(announced).appendString("{\"type\":\"ping\","));
          return client.closed().map(closed -> client);
        })
        .compose(client -> {
          assertThat(client.received).containsExactly(new JsonObject().put("type", "err").put("message", "frame_too_long"));
          return BridgeClient.connect(vertx, port);
        })
        .compose(fresh -> {
          fresh.write(new JsonObject().put("type", "ping"));
          return fresh.frame(f -> "pong".equals(f.getString("type"))).eventually(fresh.socket::close);
        })
        .mapEmpty();
  }

  /** A ping frame whose JSON payload is exactly {@code length} bytes, padded with a field the bridge ignores. */
  private static Buffer pingOfLength(int length) {
    String empty = new JsonObject().put("type", "ping").put("pad", "").encode();
    Buffer payload = new JsonObject().put("type", "ping").put("pad", "x".repeat(length - empty.length())).toBuffer();
    assertThat(payload.length()).isEqualTo(length);
    return payload;
  }
}
