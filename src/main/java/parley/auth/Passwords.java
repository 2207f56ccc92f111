package parley.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id through password4j, with OWASP's recommended cost (19 MiB, 2 passes, 1 lane). The
 * stored form is the standard PHC string, which carries its own parameters and salt. Both calls
 * take tens of milliseconds of CPU on purpose: run them off the event loop.
 */
public final class Passwords {
  private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
  private static final int SALT_BYTES = 16;
  /** Checked against when a name is unknown, so that it takes as long as a wrong password. */
  private static final String DECOY = hash("parley-decoy-password");

  private Passwords() {}

  public static String hash(String password) {
    return Password.hash(password).addRandomSalt(SALT_BYTES).with(ARGON2ID).getResult();
  }

  /** Whether the password matches; a null hash (no such account) is checked against a decoy. */
  public static boolean matches(String password, String storedHash) {
    String hash = storedHash == null ? DECOY : storedHash;
    boolean matches;
    try {
      matches = Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    } catch (RuntimeException malformed) {
      matches = false;
    }
    return matches && storedHash != null;
  }
}
