package parley.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import parley.config.Settings;

/**
 * What a connection may hold of the server: its request headers must arrive within
 * {@code PARLEY_HTTP_HEADER_TIMEOUT_MS} (10 s) of its opening (a client that opens sockets and says
 * nothing, or says it slowly, is let go); after that nothing may pass on it for
 * {@code PARLEY_HTTP_IDLE_TIMEOUT_MS} (60 s; an SSE stream writes a keep-alive every 15 s), which is
 * what closes a kept-alive connection between requests (closing it sooner would race a browser
 * that reuses it for a send); one
 * client address holds at most {@code PARLEY_MAX_CONNECTIONS_PER_IP} at once, and those past it are
 * closed as they open. A connection answered {@code 429} is closed after the answer: a client told
 * to slow down does not keep its place.
 *
 * <p>Vert.x has no deadline for request headers: a timer per connection, stopped when a request
 * arrives. Confined to the HTTP verticle's event loop, as the server's handlers are.
 */
final class ConnectionLimits {
  /** How long a connection answered 429 may take to receive the answer before it is cut. */
  private static final long CLOSE_AFTER_ANSWER_MS = 5_000;

  private final Vertx vertx;
  private final int maxPerClient;
  private final long headerTimeoutMs;
  private final long idleTimeoutMs;
  private final Map<String, Integer> perClient = new HashMap<>();
  private final Map<HttpConnection, Tracked> open = new IdentityHashMap<>();

  /** One open connection: its client, whether a request came, its header deadline (-1: none). */
  private static final class Tracked {
    final String client;
    boolean requested;
    long headerTimer = -1;

    Tracked(String client) {
      this.client = client;
    }
  }

  ConnectionLimits(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.maxPerClient = settings.maxConnectionsPerIp();
    this.headerTimeoutMs = settings.httpHeaderTimeoutMs();
    this.idleTimeoutMs = settings.httpIdleTimeoutMs();
  }

  /**
   * The idle timeout, and HTTP/1.1 only: with cleartext HTTP/2 (h2c) on, Vert.x makes a connection
   * only once its first bytes tell HTTP/1 from HTTP/2, so a socket that says nothing would escape
   * both the header deadline and the count per address. (Browsers speak HTTP/2 only over TLS, which
   * a proxy in front of Parley ends.)
   */
  HttpServerOptions options(HttpServerOptions options) {
    return options.setHttp2ClearTextEnabled(false)
        .setIdleTimeout((int) idleTimeoutMs).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** The server's connection handler. */
  void connected(HttpConnection connection) {
    String client = clientOf(connection.remoteAddress());
    int held = perClient.getOrDefault(client, 0);
    if (held >= maxPerClient) {
      connection.close();
      return;
    }
    perClient.put(client, held + 1);
    Tracked tracked = new Tracked(client);
    open.put(connection, tracked);
    connection.closeHandler(v -> closed(connection));
    awaitHeaders(connection, tracked);
  }

  /** Mounted before every route: a request's arrival stops its connection's header deadline. */
  void mount(Router router) {
    router.route().handler(this::requestArrived);
  }

  private void requestArrived(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    Tracked tracked = open.get(connection);
    if (tracked != null) {
      tracked.requested = true;
      cancelHeaderTimer(tracked);
    }
    ctx.addHeadersEndHandler(v -> {
      if (ctx.response().getStatusCode() == 429) {
        closeAfterAnswer(request, connection);
      }
    });
    ctx.next();
  }

  /** Over HTTP/1 the answer says the connection closes, and it does once the answer is out. */
  private void closeAfterAnswer(HttpServerRequest request, HttpConnection connection) {
    if (request.version() == HttpVersion.HTTP_2) {
      return; // one stream of many: the connection is not this request's to close
    }
    request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    connection.shutdown(CLOSE_AFTER_ANSWER_MS, TimeUnit.MILLISECONDS);
  }

  private void awaitHeaders(HttpConnection connection, Tracked tracked) {
    cancelHeaderTimer(tracked);
    tracked.headerTimer = vertx.setTimer(headerTimeoutMs, id -> {
      tracked.headerTimer = -1;
      if (!tracked.requested) {
        connection.close();
      }
    });
  }

  private void cancelHeaderTimer(Tracked tracked) {
    if (tracked.headerTimer >= 0) {
      vertx.cancelTimer(tracked.headerTimer);
      tracked.headerTimer = -1;
    }
  }

  private void closed(HttpConnection connection) {
    Tracked tracked = open.remove(connection);
    if (tracked == null) {
      return;
    }
    cancelHeaderTimer(tracked);
    perClient.computeIfPresent(tracked.client, (key, count) -> count > 1 ? count - 1 : null);
  }

  private static String clientOf(SocketAddress address) {
    return address == null ? "" : String.valueOf(address.hostAddress());
  }
}
