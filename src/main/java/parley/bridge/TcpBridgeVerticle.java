package parley.bridge;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.bus.Addresses;

/**
 * Parley's event-bus API for services outside the JVM: the Vert.x TCP bridge (4-byte length, then a
 * JSON frame), open only to the public addresses. Anything else is refused by the bridge.
 */
public final class TcpBridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TcpBridgeVerticle.class);

  private final String host;
  private final int port;
  private TcpEventBusBridge bridge;

  public TcpBridgeVerticle(String host, int port) {
    this.host = host;
    this.port = port;
  }

  static BridgeOptions permissions() {
    return new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddressRegex(Addresses.PUBLIC_INBOUND_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.PUBLIC_OUTBOUND_REGEX));
  }

  @Override
  public Future<?> start() {
    bridge = TcpEventBusBridge.create(vertx, permissions());
    return bridge.listen(port, host).andThen(done -> {
      if (done.succeeded()) {
        LOG.info("TCP event-bus bridge on {}:{}", host, port);
      }
    });
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
