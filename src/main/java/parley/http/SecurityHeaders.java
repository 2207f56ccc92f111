package parley.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.HSTSHandler;
import io.vertx.ext.web.handler.XFrameHandler;
import java.util.Locale;
import parley.config.Settings;

/**
 * The headers every answer carries, whichever route (or refusal) gives it: no MIME sniffing, no
 * referrer, a Content-Security-Policy that allows only Parley's own files (no inline script, no
 * image from another site, no framing), JSON never cached, and HSTS when people come over https.
 */
final class SecurityHeaders {
  /**
   * Images only from Parley itself or from data/blob URLs: a model's reply must not make the
   * browser fetch a third-party URL (an injected image link is a known way to leak chat text).
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
      + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
  static final String STRICT_TRANSPORT_SECURITY = "max-age=" + HSTSHandler.DEFAULT_MAX_AGE;
  static final String NO_STORE = "no-store";

  private SecurityHeaders() {}

  /** Mounted first, so that every answer of the router has them, error answers included. */
  static void mount(Router router, Settings settings) {
    boolean https = settings.access().https();
    router.route().handler(ctx -> {
      HttpServerResponse response = ctx.response();
      // At the last moment, so that no handler in between can drop them and the content type is known.
      ctx.addHeadersEndHandler(v -> {
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("Referrer-Policy", "no-referrer");
        if (https) {
          // Not HSTSHandler: it writes the header only on a TLS connection to Parley itself (or with
          // Front-End-Https: on), and Parley serves https through a proxy that ends TLS before it.
          response.putHeader("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        }
        if (isJson(response.headers().get(HttpHeaders.CONTENT_TYPE))) {
          response.putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
        }
      });
      ctx.next();
    });
    router.route().handler(contentSecurityPolicy()).handler(XFrameHandler.create(XFrameHandler.DENY));
  }

  static CSPHandler contentSecurityPolicy() {
    CSPHandler csp = CSPHandler.create();
    for (String directive : CONTENT_SECURITY_POLICY.split("; ")) {
      int space = directive.indexOf(' ');
      csp.setDirective(directive.substring(0, space), directive.substring(space + 1));
    }
    return csp;
  }

  /** {@code application/json} or any {@code +json} type, whatever its parameters. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
  }
}
