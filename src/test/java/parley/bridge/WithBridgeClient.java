package parley.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import parley.support.WithNodeSettings;

/**
 * A node for each test and a {@link BridgeClient} connected to a bridge: the node's own, or one the
 * test deploys. After the test the client closes first, then the bridge, then the node.
 */
abstract class WithBridgeClient extends WithNodeSettings {
  protected BridgeClient client;

  /** Starts the node with its bridge on a free port and connects the client to it. */
  protected Future<BridgeClient> startWithBridge(Vertx vertx) {
    int port = BridgeClient.freePort();
    return start(vertx, Map.of("PARLEY_BRIDGE_PORT", port)).compose(started -> connect(vertx, port));
  }

  /** Connects the client to the bridge on this loopback port. */
  protected Future<BridgeClient> connect(Vertx vertx, int port) {
    return BridgeClient.connect(vertx, port).map(connected -> client = connected);
  }

  /** Stops a bridge the test deployed itself; called once the client has closed. */
  protected Future<Void> stopBridge() {
    return Future.succeededFuture();
  }

  @AfterEach
  void closeClient(VertxTestContext ctx) {
    Future<Void> closed = client == null ? Future.succeededFuture() : client.socket.close();
    closed.eventually(this::stopBridge).onComplete(ctx.succeedingThenComplete());
  }
}
