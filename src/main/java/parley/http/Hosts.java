package parley.http;

import io.vertx.core.net.HostAndPort;
import java.util.Locale;
import parley.config.Loopback;

/** Host names and origins as requests carry them (what is loopback: {@link Loopback}). */
final class Hosts {
  private Hosts() {}

  /** The host of a {@code Host} header (or HTTP/2 authority), lower case, IPv6 without brackets; null if malformed. */
  static String hostOf(String authority) {
    if (authority == null) {
      return null;
    }
    HostAndPort parsed = HostAndPort.parseAuthority(authority, -1);
    return parsed == null || parsed.host().isEmpty() ? null : Loopback.bare(parsed.host());
  }

  /** The host of an http(s) URL, as {@link #hostOf} gives it; null if there is none. */
  static String hostOfUrl(String url) {
    String origin = origin(url);
    return origin == null ? null : hostOf(origin.substring(origin.indexOf("://") + 3));
  }

  /**
   * An origin as browsers write it, {@code scheme://host[:port]}: lower case, without the scheme's
   * default port; null for anything else ({@code null}, a path, no host).
   */
  static String origin(String url) {
    if (url == null) {
      return null;
    }
    String trimmed = url.trim().toLowerCase(Locale.ROOT);
    int separator = trimmed.indexOf("://");
    if (separator <= 0) {
      return null;
    }
    String scheme = trimmed.substring(0, separator);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return null;
    }
    return origin(scheme, trimmed.substring(separator + 3));
  }

  /** The origin of a request that reached Parley with this authority over this scheme; null if malformed. */
  static String origin(String scheme, String authority) {
    if (authority == null || authority.isEmpty() || authority.indexOf('/') >= 0) {
      return null;
    }
    HostAndPort parsed = HostAndPort.parseAuthority(authority, -1);
    if (parsed == null || parsed.host().isEmpty()) {
      return null;
    }
    int port = parsed.port();
    boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + parsed.host().toLowerCase(Locale.ROOT) + (port < 0 || defaultPort ? "" : ":" + port);
  }
}
