package parley.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.config.Settings;
import parley.support.TestNode;

/** The bridge listens on PARLEY_BRIDGE_HOST, loopback unless said otherwise, whatever the HTTP host. */
@ExtendWith(VertxExtension.class)
class BridgeHostTest {
  private static final String OTHER_LOOPBACK = "127.0.0.2";

  @TempDir Path dataDir;

  @Test
  void shippedDefaultIsLoopbackEvenWhenHttpListensEverywhere() {
    Settings settings = Settings.defaultsWith(Map.of("PARLEY_HTTP_HOST", "0.0.0.0", "PARLEY_AUTH", "local"));
    assertThat(settings.httpHost()).isEqualTo("0.0.0.0");
    assertThat(settings.bridgeHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void bridgeBindsItsOwnHostNotTheHttpOne(Vertx vertx, VertxTestContext ctx) {
    assumeTrue(canBind(OTHER_LOOPBACK), "this machine routes only 127.0.0.1 to loopback");
    int port = BridgeClient.freePort();
    TestNode.start(vertx, dataDir, Map.of("PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_BRIDGE_HOST", OTHER_LOOPBACK, "PARLEY_BRIDGE_PORT", port))
        .compose(node -> BridgeClient.connect(vertx, OTHER_LOOPBACK, port)
            .compose(client -> {
              client.write(new JsonObject().put("type", "ping"));
              return client.frame(f -> "pong".equals(f.getString("type"))).eventually(client.socket::close);
            })
            .compose(pong -> BridgeClient.connect(vertx, "127.0.0.1", port).transform(onHttpHost -> {
              ctx.verify(() -> assertThat(onHttpHost.failed()).as("connected on the HTTP host: " + onHttpHost).isTrue());
              return Future.succeededFuture();
            }))
            .eventually(node::stop))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static boolean canBind(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
