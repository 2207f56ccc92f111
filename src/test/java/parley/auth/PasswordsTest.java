package parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Argon2id through password4j: a salted PHC string that carries its parameters; only the right password matches. */
class PasswordsTest {
  @Test
  void aHashIsArgon2idWithTheOwaspCostAndARandomSalt() {
    String hash = Passwords.hash("correct horse battery");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse battery");
    assertThat(Passwords.hash("correct horse battery")).as("salted: never the same twice").isNotEqualTo(hash);
  }

  @Test
  void onlyTheRightPasswordMatches() {
    String hash = Passwords.hash("correct horse battery");
    assertThat(Passwords.matches("correct horse battery", hash)).isTrue();
    assertThat(Passwords.matches("correct horse batter", hash)).isFalse();
    assertThat(Passwords.matches("Correct horse battery", hash)).isFalse();
    assertThat(Passwords.matches("", hash)).isFalse();
    String emoji = "\uD83D\uDE00".repeat(8);
    assertThat(Passwords.matches(emoji, Passwords.hash(emoji))).isTrue();
  }

  @Test
  void noAccountAndABrokenHashNeverMatch() {
    assertThat(Passwords.matches("parley-decoy-password", null)).as("the decoy itself signs nobody in").isFalse();
    assertThat(Passwords.matches("anything at all", null)).isFalse();
    assertThat(Passwords.matches("anything at all", "not a hash")).isFalse();
    assertThat(Passwords.matches("anything at all", "$argon2id$v=19$m=19456,t=2,p=1$broken")).isFalse();
  }
}
