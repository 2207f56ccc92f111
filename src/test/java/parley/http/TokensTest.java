package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream.Script;
import parley.support.WithAccountsNode;
import parley.support.SseCapture;

/**
 * Personal API tokens over real HTTP: the secret is shown once, never listed; a token
 * authenticates REST and SSE as its owner; revoked or of a deleted account, it stops at once.
 */
class TokensTest extends WithAccountsNode {
  private static ApiClient newUser(String username) {
    admin.createUser(username, PASSWORD, null);
    return ApiClient.logIn(shared.node(), username, PASSWORD);
  }

  @Test
  void theSecretIsShownOnceAndNeverListed() {
    ApiClient alice = newUser("alice");
    Answer created = alice.post("/api/tokens", new JsonObject().put("name", "laptop script"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonObject token = created.json();
    assertThat(token.fieldNames()).containsExactlyInAnyOrder("id", "name", "token", "createdAt", "lastUsedAt");
    assertThat(token.getString("name")).isEqualTo("laptop script");
    assertThat(token.getString("token")).startsWith("parley_").hasSizeGreaterThan("parley_".length() + 30);
    assertThat(token.getString("createdAt")).isNotBlank();
    String secret = token.getString("token");

    Answer listed = alice.get("/api/tokens");
    assertThat(listed.status()).isEqualTo(200);
    JsonArray tokens = listed.array();
    assertThat(tokens).hasSize(1);
    JsonObject shown = tokens.getJsonObject(0);
    assertThat(shown.fieldNames()).containsExactlyInAnyOrder("id", "name", "createdAt", "lastUsedAt");
    assertThat(shown.getString("id")).isEqualTo(token.getString("id"));
    assertThat(shown.getValue("lastUsedAt")).as("not used yet").isNull();
    assertThat(listed.body().toString()).doesNotContain(secret).doesNotContain(secret.substring("parley_".length()));

    // Used once, the list says when.
    alice.withToken(secret).me();
    assertThat(alice.get("/api/tokens").array().getJsonObject(0).getString("lastUsedAt")).isNotBlank();
    // Each account sees only its own.
    assertThat(newUser("alices-neighbour").get("/api/tokens").array()).isEmpty();
  }

  @Test
  void aTokenNeedsAName() {
    ApiClient bob = newUser("bob");
    for (Object body : List.of("{}", "[]", "nope", new JsonObject().put("name", ""), new JsonObject().put("name", "   "),
        new JsonObject().put("name", 7), new JsonObject().put("name", new JsonArray()), new JsonObject().put("name", "n".repeat(65)))) {
      Answer refused = bob.post("/api/tokens", body);
      assertThat(refused.status()).as(body.toString()).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("bad_request");
    }
    assertThat(bob.get("/api/tokens").array()).isEmpty();
    assertThat(bob.post("/api/tokens", new JsonObject().put("name", "n".repeat(64))).status()).isEqualTo(201);
  }

  @Test
  void aBearerTokenActsAsItsOwnerOnRestAndSse() {
    shared.upstream().script(Script.tokens(List.of("streamed ", "to a ", "script"), 5));
    ApiClient carol = newUser("carol");
    ApiClient script = carol.script("ci");
    assertThat(script.me().getJsonObject("user")).isEqualTo(carol.me().getJsonObject("user"));

    script.send("by-script", "hello from a script");
    List<SseCapture.Event> events = script.replyEnded("by-script");
    assertThat(SseCapture.textOf(events)).isEqualTo("streamed to a script");
    assertThat(SseCapture.endOf(events).json().getString("status")).isEqualTo("complete");
    SseCapture afterwards = ApiClient.await(shared.anonymous().stream("by-script"));
    assertThat(afterwards.status()).as("SSE without credentials").isEqualTo(401);

    // The chat is the owner's, whichever credential made it.
    assertThat(carol.chatIds()).contains("by-script");
    assertThat(carol.history("by-script")).hasSize(2);
    assertThat(script.history("by-script")).isEqualTo(carol.history("by-script"));
  }

  @Test
  void aRevokedTokenStopsAtOnce() {
    ApiClient dave = newUser("dave");
    JsonObject token = dave.createToken("soon gone");
    JsonObject kept = dave.createToken("kept");
    ApiClient script = dave.withToken(token.getString("token"));
    script.me();

    Answer revoked = dave.delete("/api/tokens/" + token.getString("id"));
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
    Answer refused = script.get("/api/me");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.errorCode()).isEqualTo("unauthenticated");
    assertThat(dave.get("/api/tokens").array().stream().map(t -> ((JsonObject) t).getString("id")))
        .containsExactly(kept.getString("id"));
    assertThat(dave.withToken(kept.getString("token")).me().getJsonObject("user").getString("username")).isEqualTo("dave");

    Answer again = dave.delete("/api/tokens/" + token.getString("id"));
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.errorCode()).isEqualTo("not_found");
    Answer unknown = dave.delete("/api/tokens/no-such-token");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("not_found");
  }

  @Test
  void nobodyRevokesAnotherOnesToken() {
    ApiClient erin = newUser("erin");
    ApiClient frank = newUser("frank");
    JsonObject erinsToken = erin.createToken("erin's");
    Answer refused = frank.delete("/api/tokens/" + erinsToken.getString("id"));
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.errorCode()).isEqualTo("not_found");
    Answer byAdmin = admin.delete("/api/tokens/" + erinsToken.getString("id"));
    assertThat(byAdmin.status()).isEqualTo(404);
    assertThat(erin.withToken(erinsToken.getString("token")).me().getJsonObject("user").getString("username")).isEqualTo("erin");
  }

  @Test
  void theTokenOfADeletedAccountStopsAtOnce() {
    ApiClient grace = newUser("grace");
    ApiClient script = grace.script("grace's");
    String graceId = script.userId();
    assertThat(admin.delete("/api/users/" + graceId).status()).isEqualTo(204);
    Answer refused = script.get("/api/me");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.errorCode()).isEqualTo("unauthenticated");
    assertThat(script.trySend("graces-chat", "hello?").status()).isEqualTo(401);
  }
}
