package parley.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.RoutingContext;
import parley.auth.Caller;
import parley.config.Loopback;

/**
 * Who learns what of {@code GET /health}: the details (each check, the store's and the model's
 * addresses, their errors) go to an admin or to a caller on this machine; anyone else learns only
 * {@code {"status":"UP"}} (200) or {@code {"status":"DOWN"}} (503). Mounted before the health
 * check handler, which answers the details.
 */
final class HealthAccess implements Handler<RoutingContext> {
  private final HealthChecks checks;

  HealthAccess(HealthChecks checks) {
    this.checks = checks;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (showsDetails(addressOf(request.remoteAddress()), proxied(request), RequestCaller.get(ctx))) {
      ctx.next();
      return;
    }
    checks.checkStatus().onComplete(checked -> {
      JsonObject summary = redacted(checked.succeeded() ? checked.result() : null);
      ctx.response().setStatusCode(statusCode(summary));
      ctx.json(summary);
    });
  }

  /**
   * Details for an admin, or for a caller on loopback that no proxy speaks for: a proxy on this
   * machine connects from loopback on behalf of callers anywhere, and says so in its headers.
   */
  static boolean showsDetails(String remoteAddress, boolean proxied, Caller caller) {
    return (caller != null && caller.admin()) || (!proxied && Loopback.isAddress(remoteAddress));
  }

  /** Only whether the node is up: {@code {"status":"UP"}} or {@code {"status":"DOWN"}}; no result is DOWN. */
  static JsonObject redacted(CheckResult result) {
    boolean up = result != null && CheckResult.isUp(result);
    return new JsonObject().put("status", up ? "UP" : "DOWN");
  }

  /** 200 when up, 503 when down, as the detailed answer. */
  static int statusCode(JsonObject summary) {
    return "UP".equals(summary.getString("status")) ? 200 : 503;
  }

  private static boolean proxied(HttpServerRequest request) {
    return request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null
        || request.getHeader("X-Real-IP") != null;
  }

  private static String addressOf(SocketAddress address) {
    return address == null ? null : address.hostAddress();
  }
}
