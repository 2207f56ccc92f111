package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;

/**
 * CSRF with real accounts: a change made with the session cookie from a page of another origin is
 * refused and changes nothing; the same change with a bearer token (which no page of another
 * origin can add) is allowed.
 */
class CsrfWithAccountsTest {
  private static final String EVIL = "http://evil.example";
  private static final String PASSWORD = "correct horse battery";

  private static RunningNode shared;
  private static ApiClient alice;
  private static String ownOrigin;

  @BeforeAll
  static void start(@TempDir Path dataDir) {
    shared = RunningNode.start(dataDir, Map.of("PARLEY_AUTH", "local"));
    shared.upstream().script(Script.tokens(List.of("ok"), 1));
    alice = ApiClient.signUp(shared.node(), "alice", PASSWORD);
    ownOrigin = "http://127.0.0.1:" + shared.node().port();
  }

  @AfterAll
  static void stop() {
    shared.close();
  }

  private static void assertCsrf(Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
    assertThat(answer.errorCode()).isEqualTo("csrf");
  }

  @Test
  void aCookieChangeFromAnotherOriginIsRefusedAndChangesNothing() {
    alice.send("kept", "keep me");
    alice.replyEnded("kept");
    JsonObject token = alice.createToken("kept token");
    List<String> chatsBefore = alice.chatIds();
    int tokensBefore = alice.get("/api/tokens").array().size();

    assertCsrf(alice.post("/api/messages", new JsonObject().put("chatId", "forged").put("content", "hi"), "Origin", EVIL));
    assertCsrf(alice.delete("/api/chats/kept", "Origin", EVIL));
    assertCsrf(alice.post("/api/stream/kept/terminate", null, "Origin", EVIL));
    assertCsrf(alice.post("/api/tokens", new JsonObject().put("name", "forged"), "Origin", EVIL));
    assertCsrf(alice.delete("/api/tokens/" + token.getString("id"), "Origin", EVIL));
    assertCsrf(alice.post("/api/users", ApiClient.credentialsBody("forged-user", PASSWORD), "Origin", EVIL));
    assertCsrf(alice.post("/api/auth/logout", null, "Origin", EVIL));
    assertCsrf(alice.post("/api/auth/login", ApiClient.credentialsBody("alice", PASSWORD), "Origin", EVIL));

    assertThat(alice.history("forged")).isEmpty();
    assertThat(alice.chatIds()).isEqualTo(chatsBefore).contains("kept");
    assertThat(alice.history("kept")).hasSize(2);
    assertThat(alice.get("/api/tokens").array()).hasSize(tokensBefore);
    assertThat(alice.withToken(token.getString("token")).me()).isNotNull();
    assertThat(alice.get("/api/users").array()).hasSize(1);
    assertThat(alice.me().getJsonObject("user").getString("username")).as("still signed in").isEqualTo("alice");
    // Reading is no change: a GET from another origin is answered (the browser keeps it from the page).
    assertThat(alice.get("/api/chats", "Origin", EVIL).status()).isEqualTo(200);
  }

  @Test
  void aCookieChangeFromParleysOwnOriginIsAllowed() {
    Answer sent = alice.post("/api/messages", new JsonObject().put("chatId", "same-origin").put("content", "hi"), "Origin", ownOrigin);
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    alice.replyEnded("same-origin");
    assertThat(alice.delete("/api/chats/same-origin", "Origin", ownOrigin).status()).isEqualTo(204);
  }

  @Test
  void aBearerTokenIsAllowedFromAnyOrigin() {
    ApiClient script = alice.script("from a page of its own");
    Answer sent = script.post("/api/messages", new JsonObject().put("chatId", "by-bearer").put("content", "hi"), "Origin", EVIL);
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    script.replyEnded("by-bearer");
    assertThat(script.delete("/api/chats/by-bearer", "Origin", EVIL).status()).isEqualTo(204);
    assertThat(alice.chatIds()).doesNotContain("by-bearer");
  }

  @Test
  void aBogusBearerNextToTheCookieDoesNotActAsTheCookie() {
    // Exempt from the Origin check as a bearer request, it must then be judged by its token alone.
    Answer answer = shared.anonymous().request(HttpMethod.POST, "/api/messages",
        new JsonObject().put("chatId", "smuggled").put("content", "hi").toBuffer(), "Content-Type", "application/json",
        "Origin", EVIL, "Cookie", ApiClient.SESSION_COOKIE + "=" + alice.sessionId(), "Authorization", "Bearer parley_bogus");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
    assertThat(answer.errorCode()).isEqualTo("unauthenticated");
    assertThat(alice.history("smuggled")).isEmpty();
  }
}
