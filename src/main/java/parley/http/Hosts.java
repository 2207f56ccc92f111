package parley.http;

import io.vertx.core.net.HostAndPort;
import java.util.Locale;

/**
 * Host names, addresses and origins as requests carry them, read strictly: {@code 127.evil.example}
 * is not a loopback name, whatever it starts with.
 */
final class Hosts {
  private Hosts() {}

  /** The host of a {@code Host} header (or HTTP/2 authority), lower case, IPv6 without brackets; null if malformed. */
  static String hostOf(String authority) {
    if (authority == null) {
      return null;
    }
    HostAndPort parsed = HostAndPort.parseAuthority(authority, -1);
    return parsed == null || parsed.host().isEmpty() ? null : bare(parsed.host());
  }

  /** The host of an http(s) URL, as {@link #hostOf} gives it; null if there is none. */
  static String hostOfUrl(String url) {
    String origin = origin(url);
    return origin == null ? null : hostOf(origin.substring(origin.indexOf("://") + 3));
  }

  /** A host name or address as compared: lower case, IPv6 without brackets. */
  static String bare(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
  }

  /** {@code localhost}, an IPv4 address in 127.0.0.0/8 or {@code ::1}: names only this machine answers to. */
  static boolean isLoopbackName(String host) {
    if (host == null) {
      return false;
    }
    String bare = bare(host);
    return bare.equals("localhost") || isLoopbackAddress(bare);
  }

  /** A literal loopback address: 127.0.0.0/8, {@code ::1} in any spelling, or IPv4-mapped 127.x. */
  static boolean isLoopbackAddress(String address) {
    if (address == null) {
      return false;
    }
    String bare = bare(address);
    if (bare.startsWith("::ffff:")) {
      bare = bare.substring("::ffff:".length());
    }
    if (bare.indexOf(':') >= 0) {
      return isIpv6Loopback(bare);
    }
    String[] parts = bare.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
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

  private static boolean isIpv6Loopback(String address) {
    // ::1, 0:0:0:0:0:0:0:1, 0000::0001 …: every group zero but a last group of 1.
    if (address.indexOf('%') >= 0 || address.indexOf('.') >= 0) {
      return false;
    }
    int doubleColon = address.indexOf("::");
    if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String[] groups = address.split(":", -1);
    int explicitGroups = 0;
    for (int i = 0; i < groups.length; i++) {
      String group = groups[i];
      if (group.isEmpty()) {
        continue;
      }
      if (group.length() > 4 || !group.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return false;
      }
      explicitGroups++;
      int value = Integer.parseInt(group, 16);
      boolean last = i == groups.length - 1;
      if (last ? value != 1 : value != 0) {
        return false;
      }
    }
    boolean lastIsOne = !groups[groups.length - 1].isEmpty();
    return lastIsOne && (doubleColon >= 0 ? explicitGroups <= 7 : explicitGroups == 8);
  }
}
