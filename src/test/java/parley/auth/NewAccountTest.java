package parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parley.chat.ErrorCode;
import parley.chat.Rejection;

/** What a name and password must be, checked once for sign-up and admins alike. */
class NewAccountTest {
  private static JsonObject body(Object username, Object password) {
    return new JsonObject().put("username", username).put("password", password);
  }

  private static void refused(JsonObject body, boolean roleAllowed) {
    assertThatThrownBy(() -> NewAccount.fromJson(body, Role.USER, roleAllowed))
        .isInstanceOf(Rejection.class)
        .satisfies(e -> assertThat(((Rejection) e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "a1", "0day", "alice", "a.b", "a_b", "a-b", "abcdefghijklmnopqrstuvwxyz012345"})
  void namesOfTheAllowedShape(String username) {
    assertThat(NewAccount.fromJson(body(username, "password1"), Role.USER, false).username()).isEqualTo(username);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", ".ab", "-ab", "_ab", "a b", "a/b", "a@b", "ä1", "abcdefghijklmnopqrstuvwxyz0123456", "a\nb"})
  void namesOfAnyOtherShapeAreRefused(String username) {
    refused(body(username, "password1"), false);
  }

  @Test
  void namesAreComparedLowerCased() {
    assertThat(NewAccount.fromJson(body("Alice", "password1"), Role.USER, false).username()).isEqualTo("alice");
    assertThat(NewAccount.normalize("BOB")).isEqualTo("bob");
  }

  @Test
  void passwordsHave8To256Characters() {
    refused(body("alice", "1234567"), false);
    refused(body("alice", "p".repeat(257)), false);
    assertThat(NewAccount.fromJson(body("alice", "12345678"), Role.USER, false).password()).isEqualTo("12345678");
    assertThat(NewAccount.fromJson(body("alice", "p".repeat(256)), Role.USER, false).password()).hasSize(256);
    // Characters, not UTF-16 units: 4 emoji are 4 characters (too few), 256 of them are allowed.
    refused(body("alice", "\uD83D\uDE00".repeat(4)), false);
    assertThat(NewAccount.fromJson(body("alice", "\uD83D\uDE00".repeat(256)), Role.USER, false)).isNotNull();
    refused(body("alice", "\uD83D\uDE00".repeat(257)), false);
  }

  @Test
  void fieldsOfTheWrongTypeAreRefused() {
    refused(null, false);
    refused(new JsonObject(), false);
    refused(body(1, "password1"), false);
    refused(body("alice", 12345678), false);
    refused(body(new JsonArray().add("alice"), "password1"), false);
    refused(body("alice", new JsonObject()), false);
  }

  @Test
  void aRoleOnlyWhereItMayBeChosen() {
    assertThat(NewAccount.fromJson(body("alice", "password1"), Role.USER, true).role()).isEqualTo(Role.USER);
    assertThat(NewAccount.fromJson(body("alice", "password1").put("role", "admin"), Role.USER, true).role()).isEqualTo(Role.ADMIN);
    refused(body("alice", "password1").put("role", "admin"), false);
    refused(body("alice", "password1").put("role", "root"), true);
    refused(body("alice", "password1").put("role", 1), true);
  }
}
