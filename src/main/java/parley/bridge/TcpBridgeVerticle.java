package parley.bridge;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.config.Settings;

/**
 * Parley's event-bus API for services outside the JVM, on the wire protocol of Vert.x's TCP
 * event-bus bridge (a 4-byte big-endian length, then a JSON frame {@code {type, address,
 * replyAddress?, headers?, body?}}; types {@code send}, {@code publish}, {@code register},
 * {@code unregister}, {@code ping}; answers {@code message}, {@code err}, {@code pong}), open only to
 * the public addresses of {@link parley.chat.Addresses}.
 *
 * <p>Served by a {@link NetServer} of Parley's own rather than by vertx-tcp-eventbus-bridge's
 * {@code TcpEventBusBridge}: that one cannot be fed frames from another parser (its frame handling
 * is private, hard-wired to its {@code FrameParser}, which buffers whatever length a frame
 * announces), it logs malformed frames with stack traces and passes non-object bodies on to
 * handlers that need objects. The library's {@code FrameHelper} still writes every frame.
 *
 * <ul>
 *   <li>{@link FrameReader}: the framing, with frames capped at 1 MiB;
 *   <li>{@link BridgeFrame}: a frame checked for shape, or the reason it is malformed;
 *   <li>{@link FrameGate}: who a frame acts for; {@link AccountGate}, Parley's accounts and ownership;
 *   <li>{@link BridgeConnection}: one client's frames, in order, and the events it registered for.
 * </ul>
 */
public final class TcpBridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TcpBridgeVerticle.class);

  private final String host;
  private final int port;
  private final Settings.Access access;
  private FrameGate gate;
  private AccountGate accountGate;
  private NetServer server;

  /** Frames act for the user their token names (or the local user without accounts), on their own chats. */
  public TcpBridgeVerticle(String host, int port, Settings.Access access) {
    this.host = host;
    this.port = port;
    this.access = access;
  }

  /** With a gate of the caller's choosing (tests of the gate's contract). */
  TcpBridgeVerticle(String host, int port, FrameGate gate) {
    this(host, port, (Settings.Access) null);
    this.gate = gate;
  }

  @Override
  public Future<?> start() {
    Future<Void> ready = Future.succeededFuture();
    if (gate == null) {
      accountGate = new AccountGate(vertx, access);
      gate = accountGate;
      ready = accountGate.start();
    }
    server = vertx.createNetServer().connectHandler(socket -> BridgeConnection.serve(vertx, socket, gate));
    return ready.compose(v -> server.listen(port, host)).andThen(done -> {
      if (done.succeeded()) {
        LOG.info("TCP event-bus bridge on {}:{}", host, done.result().actualPort());
      }
    });
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return accountGate == null ? closed : closed.eventually(accountGate::stop);
  }
}
