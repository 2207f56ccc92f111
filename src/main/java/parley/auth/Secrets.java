package parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Session ids and API tokens: 256 random bits each. The store keeps only their SHA-256 digest
 * (a random secret of that size needs no slow hash), so a copy of the store signs nobody in.
 */
public final class Secrets {
  public static final String TOKEN_PREFIX = "parley_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SECRET_BYTES = 32;

  private Secrets() {}

  public static String newSessionId() {
    return random(SECRET_BYTES);
  }

  public static String newToken() {
    return TOKEN_PREFIX + random(SECRET_BYTES);
  }

  /** A short public id (for a token's URL, an account): not a secret. */
  public static String newId() {
    return random(12);
  }

  public static String digest(String secret) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static String random(int bytes) {
    byte[] secret = new byte[bytes];
    RANDOM.nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }
}
