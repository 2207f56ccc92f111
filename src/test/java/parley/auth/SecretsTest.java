package parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session ids and tokens: 256 random bits, URL-safe, tokens marked parley_; only a SHA-256 digest is stored. */
class SecretsTest {
  @Test
  void secretsAreLongRandomAndUrlSafe() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String session = Secrets.newSessionId();
      String token = Secrets.newToken();
      assertThat(session).matches("[A-Za-z0-9_-]{43}");
      assertThat(token).startsWith(Secrets.TOKEN_PREFIX).matches("parley_[A-Za-z0-9_-]{43}");
      assertThat(seen.add(session)).isTrue();
      assertThat(seen.add(token)).isTrue();
    }
  }

  @Test
  void theDigestIsSha256InHex() {
    assertThat(Secrets.digest("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    String token = Secrets.newToken();
    assertThat(Secrets.digest(token)).hasSize(64).doesNotContain(token).isEqualTo(Secrets.digest(token));
  }
}
