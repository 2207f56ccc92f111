package parley.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import parley.auth.Authenticator;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.config.Settings;

/**
 * A page of another site may make the browser send a form or a fetch to Parley, cookies and all;
 * the browser then names that site in {@code Origin}. A change (any method but GET, HEAD, OPTIONS)
 * that comes with another origin than Parley's own is refused with {@code 403 csrf}: in
 * {@code none} mode every one, with accounts every one not carrying a bearer token (a page cannot
 * add that header to a request to another origin without a CORS preflight, which Parley never
 * grants). A request without {@code Origin} (curl, scripts) passes.
 *
 * <p>Parley's own origin is that of {@code PARLEY_PUBLIC_URL} when it is set, else the request's
 * {@code Host} over http (or https for a request that came over TLS).
 */
final class CsrfCheck {
  private final String publicOrigin;
  private final boolean accounts;

  private CsrfCheck(String publicOrigin, boolean accounts) {
    this.publicOrigin = publicOrigin;
    this.accounts = accounts;
  }

  /** Mounted before every route. */
  static void mount(Router router, Settings settings) {
    CsrfCheck check = new CsrfCheck(Hosts.origin(settings.access().publicUrl()), settings.access().accounts());
    router.route().handler(check::check);
  }

  private void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin != null && changes(request.method()) && !(accounts && bearer(request.getHeader(HttpHeaders.AUTHORIZATION)))) {
      HostAndPort authority = request.authority();
      String host = authority == null ? null : authority.host() + (authority.port() < 0 ? "" : ":" + authority.port());
      if (!sameOrigin(origin, publicOrigin, host, request.isSSL())) {
        throw new Rejection(ErrorCode.CSRF, "a change sent from a page of another origin (" + origin + ") is refused");
      }
    }
    ctx.next();
  }

  /** Whether the method changes something: all but GET, HEAD and OPTIONS. */
  static boolean changes(HttpMethod method) {
    return !method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD) && !method.equals(HttpMethod.OPTIONS);
  }

  static boolean bearer(String authorization) {
    return Authenticator.bearerToken(authorization) != null;
  }

  /**
   * Whether {@code origin} is Parley's own: that of PARLEY_PUBLIC_URL ({@code publicOrigin}, null
   * when unset), else {@code http://} and the request's Host (also {@code https://} over TLS).
   */
  static boolean sameOrigin(String origin, String publicOrigin, String host, boolean tls) {
    String claimed = Hosts.origin(origin);
    if (claimed == null) {
      return false;
    }
    if (publicOrigin != null) {
      return claimed.equals(publicOrigin);
    }
    return claimed.equals(Hosts.origin("http", host)) || (tls && claimed.equals(Hosts.origin("https", host)));
  }
}
