package parley.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which hosts only this machine answers to: the one reading of that, for the addresses Parley
 * binds and the Host headers and client addresses it is given. Strict: {@code 127.evil.example} is
 * a name like any other. Literal addresses are parsed by Netty and judged by the JDK, never looked
 * up.
 */
public final class Loopback {
  private Loopback() {}

  /** {@code localhost}, or a literal loopback address. */
  public static boolean isName(String host) {
    return host != null && (bare(host).equals("localhost") || isAddress(host));
  }

  /** A literal loopback address: 127.0.0.0/8, {@code ::1} in any spelling, IPv4-mapped 127.x. */
  public static boolean isAddress(String address) {
    if (address == null) {
      return false;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare(address));
    if (bytes == null) {
      return false;
    }
    try {
      return InetAddress.getByAddress(bytes).isLoopbackAddress();
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }

  /** A host name or address as compared: lower case, IPv6 without brackets. */
  public static String bare(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
  }
}
