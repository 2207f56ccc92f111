package parley.http;

import io.vertx.ext.web.RoutingContext;
import parley.auth.Caller;

/** Where the authentication handler leaves the caller of a request for the routes after it. */
final class RequestCaller {
  private static final String KEY = "parley.caller";

  private RequestCaller() {}

  static void set(RoutingContext ctx, Caller caller) {
    ctx.put(KEY, caller);
  }

  /** The caller, or null when nobody is signed in (only on routes open to all). */
  static Caller get(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
