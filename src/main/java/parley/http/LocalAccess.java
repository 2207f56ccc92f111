package parley.http;

import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.config.Loopback;
import parley.config.Settings;
import parley.config.Settings.AuthMode;

/**
 * What {@code PARLEY_AUTH=none} (whoever reaches the port is the local user) takes care of. A web
 * page of any site can make the browser send requests to Parley once its own name resolves to
 * 127.0.0.1 (DNS rebinding); such requests name that site in {@code Host}, so only requests naming
 * Parley by a loopback name or by the host of {@code PARLEY_PUBLIC_URL} are answered. And a node
 * in this mode on an address other machines reach warns at every start.
 */
final class LocalAccess {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAccess.class);

  private final String publicHost;

  private LocalAccess(String publicHost) {
    this.publicHost = publicHost;
  }

  /** Mounted before every route, at every start; does nothing in the modes with accounts. */
  static void mount(Router router, Settings settings) {
    if (settings.access().mode() != AuthMode.NONE) {
      return;
    }
    settings.openAccessWarning().ifPresent(LOG::warn);
    router.route().handler(new LocalAccess(Hosts.hostOfUrl(settings.access().publicUrl()))::check);
  }

  private void check(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    if (!allowedHost(authority == null ? null : authority.host(), publicHost)) {
      throw new Rejection(ErrorCode.FORBIDDEN,
          "this Parley answers only to localhost, 127.0.0.1 or [::1] (or the host of PARLEY_PUBLIC_URL), not to the name in Host");
    }
    ctx.next();
  }

  /**
   * Whether a request naming this host (the host of its {@code Host} header, whatever the port) is
   * for this Parley; {@code publicHost} is the host of PARLEY_PUBLIC_URL, or null.
   */
  static boolean allowedHost(String host, String publicHost) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    return Loopback.isName(host) || Loopback.bare(host).equals(publicHost);
  }
}
