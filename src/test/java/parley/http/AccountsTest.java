package parley.http;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.support.ApiClient.credentialsBody;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.RunningNode;
import parley.support.WithAccountsNode;

/**
 * Accounts over real HTTP with {@code PARLEY_AUTH=local}: setup, sign-up, sign-in and its
 * throttling, sign-out, who am I, and that nothing under {@code /api} but {@code /api/auth/*}
 * answers without credentials. Most tests share one node with sign-up open, whose first account
 * (made first of all) is its admin.
 */
class AccountsTest extends WithAccountsNode {
  private static ApiClient anonymous() {
    return shared.anonymous();
  }

  private static List<String> usernames() {
    Answer users = admin.get("/api/users");
    assertThat(users.status()).as(users.toString()).isEqualTo(200);
    return users.array().stream().map(user -> ((JsonObject) user).getString("username")).toList();
  }

  /** A session lasts 30 days from sign-in, in the browser as on the server. */
  private static final String THIRTY_DAYS = "max-age=2592000";

  /**
   * A Set-Cookie line's attributes, lower-cased (their names are case-insensitive), without the
   * name=value and without Expires (a date that says the same as Max-Age).
   */
  private static List<String> cookieAttributes(String setCookie) {
    assertThat(setCookie).as("Set-Cookie").isNotNull();
    return Arrays.stream(setCookie.split(";")).skip(1).map(attribute -> attribute.trim().toLowerCase(Locale.ROOT))
        .filter(attribute -> !attribute.startsWith("expires=")).toList();
  }

  @Test
  void theFirstSignUpIsAnAdminWithASessionCookieAndEndsTheSetup(@TempDir Path dataDir) {
    try (RunningNode fresh = RunningNode.start(dataDir, Map.of("PARLEY_AUTH", "local"))) {
      ApiClient nobody = fresh.anonymous();
      assertThat(ApiClient.expect(nobody.get("/api/auth/config"), 200))
          .isEqualTo(new JsonObject().put("mode", "local").put("signup", "closed").put("needsSetup", true));

      Answer first = nobody.post("/api/auth/signup", credentialsBody("alice", PASSWORD));
      assertThat(first.status()).as(first.toString()).isEqualTo(201);
      JsonObject user = first.json().getJsonObject("user");
      assertThat(user.getString("username")).isEqualTo("alice");
      assertThat(user.getString("role")).isEqualTo("admin");
      assertThat(user.getString("id")).isNotBlank();
      assertThat(user.fieldNames()).doesNotContain("passwordHash", "password");
      String cookie = first.setCookie(ApiClient.SESSION_COOKIE);
      assertThat(cookieAttributes(cookie)).as(cookie).containsExactlyInAnyOrder("httponly", "samesite=lax", "path=/", THIRTY_DAYS);
      ApiClient alice = nobody.withSession(ApiClient.sessionOf(first));
      assertThat(alice.me().getJsonObject("user"))
          .isEqualTo(new JsonObject().put("id", user.getString("id")).put("username", "alice").put("role", "admin"));

      assertThat(ApiClient.expect(nobody.get("/api/auth/config"), 200).getBoolean("needsSetup")).isFalse();

      // Sign-up is closed by default: the second account is refused, and nothing is made.
      Answer second = nobody.post("/api/auth/signup", credentialsBody("bob", PASSWORD));
      assertThat(second.status()).isEqualTo(403);
      assertThat(second.errorCode()).isEqualTo("signup_closed");
      assertThat(second.setCookie(ApiClient.SESSION_COOKIE)).isNull();
      assertThat(alice.get("/api/users").array()).hasSize(1);
      assertThat(nobody.post("/api/auth/login", credentialsBody("bob", PASSWORD)).status()).isEqualTo(401);
    }
  }

  @Test
  void ofSignUpsAtTheSameTimeOnlyOneIsTheFirstAdmin(@TempDir Path closedDir, @TempDir Path openDir) {
    for (boolean open : List.of(false, true)) {
      Map<String, Object> settings = Map.of("PARLEY_AUTH", "local", "PARLEY_SIGNUP", open ? "open" : "closed");
      try (RunningNode fresh = RunningNode.start(open ? openDir : closedDir, settings)) {
        List<Future<HttpResponse<Buffer>>> signUps = IntStream.range(0, 6)
            .mapToObj(i -> fresh.node().web().post(fresh.node().port(), "127.0.0.1", "/api/auth/signup")
                .sendJsonObject(credentialsBody("racer" + i, PASSWORD)))
            .toList();
        List<HttpResponse<Buffer>> answers = ApiClient.await(Future.join(signUps)).list();
        List<HttpResponse<Buffer>> created = answers.stream().filter(answer -> answer.statusCode() == 201).toList();
        List<String> roles = created.stream().map(answer -> answer.bodyAsJsonObject().getJsonObject("user").getString("role")).toList();
        assertThat(roles.stream().filter("admin"::equals)).as("open: %s", open).hasSize(1);
        if (open) {
          assertThat(created).hasSize(6);
        } else {
          assertThat(created).hasSize(1);
          assertThat(answers.stream().filter(answer -> answer.statusCode() == 403)
              .map(answer -> answer.bodyAsJsonObject().getJsonObject("error").getString("code"))).hasSize(5).containsOnly("signup_closed");
        }
        HttpResponse<Buffer> first = created.stream().filter(answer -> answer.bodyAsString().contains("\"admin\"")).findFirst().orElseThrow();
        ApiClient admin = fresh.anonymous().withSession(ApiClient.sessionOf(ApiClient.answer(first)));
        assertThat(admin.get("/api/users").array()).hasSize(created.size());
      }
    }
  }

  @Test
  void sessionsAndTokensOutliveARestart(@TempDir Path dataDir) {
    try (RunningNode fresh = RunningNode.start(dataDir, Map.of("PARLEY_AUTH", "local"))) {
      ApiClient alice = ApiClient.signUp(fresh.node(), "alice", PASSWORD);
      ApiClient script = alice.script("survivor");
      ApiClient.await(fresh.node().restart());
      assertThat(alice.me().getJsonObject("user").getString("username")).isEqualTo("alice");
      assertThat(script.me().getJsonObject("user").getString("username")).isEqualTo("alice");
      assertThat(ApiClient.expect(fresh.anonymous().get("/api/auth/config"), 200).getBoolean("needsSetup")).isFalse();
    }
  }

  @Test
  void theCookieIsSecureWhenPeopleComeOverHttps(@TempDir Path dataDir) {
    try (RunningNode fresh = RunningNode.start(dataDir, Map.of("PARLEY_AUTH", "local", "PARLEY_PUBLIC_URL", "https://chat.example.org"))) {
      Answer first = fresh.anonymous().post("/api/auth/signup", credentialsBody("alice", PASSWORD));
      assertThat(first.status()).isEqualTo(201);
      assertThat(cookieAttributes(first.setCookie(ApiClient.SESSION_COOKIE)))
          .containsExactlyInAnyOrder("secure", "httponly", "samesite=lax", "path=/", THIRTY_DAYS);
      Answer login = fresh.anonymous().post("/api/auth/login", credentialsBody("alice", PASSWORD));
      assertThat(cookieAttributes(login.setCookie(ApiClient.SESSION_COOKIE))).contains("secure");
    }
  }

  @Test
  void withSignUpOpenLaterAccountsAreUsersAndNamesAreTakenOnce() {
    assertThat(ApiClient.expect(anonymous().get("/api/auth/config"), 200))
        .isEqualTo(new JsonObject().put("mode", "local").put("signup", "open").put("needsSetup", false));
    Answer dave = anonymous().post("/api/auth/signup", credentialsBody("dave", PASSWORD));
    assertThat(dave.status()).isEqualTo(201);
    assertThat(dave.json().getJsonObject("user").getString("role")).isEqualTo("user");
    assertThat(anonymous().withSession(ApiClient.sessionOf(dave)).me().getJsonObject("user").getString("role")).isEqualTo("user");

    for (String taken : List.of("dave", "DAVE", "Dave")) {
      Answer again = anonymous().post("/api/auth/signup", credentialsBody(taken, "another password"));
      assertThat(again.status()).as(taken).isEqualTo(409);
      assertThat(again.errorCode()).isEqualTo("username_taken");
    }
    assertThat(usernames().stream().filter("dave"::equals)).hasSize(1);
    // The first password still signs in: the refused sign-ups changed nothing.
    ApiClient.logIn(shared.node(), "dave", PASSWORD);
  }

  @Test
  void malformedSignUpsAreRefusedAndStoreNothing() {
    List<String> before = usernames();
    List<String> bodies = List.of(
        "not json",
        "{",
        "[]",
        "[{\"username\":\"mallory\",\"password\":\"long enough\"}]",
        "null",
        "\"mallory\"",
        "42",
        "{}",
        "{\"username\":\"mallory\"}",
        "{\"password\":\"long enough\"}",
        "{\"username\":42,\"password\":\"long enough\"}",
        "{\"username\":\"mallory\",\"password\":12345678}",
        "{\"username\":[\"mallory\"],\"password\":\"long enough\"}",
        "{\"username\":{\"$ne\":null},\"password\":\"long enough\"}",
        "{\"username\":null,\"password\":\"long enough\"}",
        "{\"username\":\"mallory\",\"password\":null}",
        "{\"username\":\"m\",\"password\":\"long enough\"}",
        "{\"username\":\"\",\"password\":\"long enough\"}",
        "{\"username\":\"-mallory\",\"password\":\"long enough\"}",
        "{\"username\":\".mallory\",\"password\":\"long enough\"}",
        "{\"username\":\"mal lory\",\"password\":\"long enough\"}",
        "{\"username\":\"mallory!\",\"password\":\"long enough\"}",
        "{\"username\":\"mällory\",\"password\":\"long enough\"}",
        "{\"username\":\"" + "m".repeat(33) + "\",\"password\":\"long enough\"}",
        "{\"username\":\"mallory\",\"password\":\"short12\"}",
        "{\"username\":\"mallory\",\"password\":\"\"}",
        "{\"username\":\"mallory\",\"password\":\"" + "p".repeat(257) + "\"}",
        "{\"username\":\"mallory\",\"password\":\"long enough\",\"role\":\"admin\"}");
    for (String body : bodies) {
      Answer answer = anonymous().post("/api/auth/signup", body);
      assertThat(answer.status()).as(body).isEqualTo(400);
      assertThat(answer.errorCode()).as(body).isEqualTo("bad_request");
      assertThat(answer.json().getJsonObject("error").getString("message")).as(body).isNotBlank();
      assertThat(answer.setCookie(ApiClient.SESSION_COOKIE)).as(body).isNull();
    }
    Answer wrongType = anonymous().request(HttpMethod.POST, "/api/auth/signup",
        Buffer.buffer(credentialsBody("mallory", PASSWORD).encode()), "Content-Type", "text/plain");
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.errorCode()).isEqualTo("unsupported_media_type");
    assertThat(usernames()).isEqualTo(before);

    // The bounds themselves are allowed: 2 and 32 characters, 8 and 256 characters.
    for (JsonObject edge : List.of(credentialsBody("m2", "12345678"), credentialsBody("m".repeat(32), "p".repeat(256)),
        credentialsBody("m0.d_e-f", "exactly8"))) {
      assertThat(anonymous().post("/api/auth/signup", edge).status()).as(edge.encode()).isEqualTo(201);
    }
  }

  @Test
  void passwordLengthsCountCharactersNotUtf16Units() {
    // 4 characters that take 8 UTF-16 units: too short. 200 such characters: within the 256.
    String fourEmoji = "\uD83D\uDE00".repeat(4);
    Answer tooShort = anonymous().post("/api/auth/signup", credentialsBody("emoji-short", fourEmoji));
    assertThat(tooShort.status()).as(tooShort.toString()).isEqualTo(400);

    String twoHundredEmoji = "\uD83D\uDE00".repeat(200);
    Answer created = anonymous().post("/api/auth/signup", credentialsBody("emoji-long", twoHundredEmoji));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    ApiClient.logIn(shared.node(), "emoji-long", twoHundredEmoji);
  }

  @Test
  void aWrongPasswordAndAnUnknownNameGetTheSameAnswer() {
    ApiClient.signUp(shared.node(), "erin", PASSWORD);
    Answer wrongPassword = anonymous().post("/api/auth/login", credentialsBody("erin", "not the password"));
    Answer unknownName = anonymous().post("/api/auth/login", credentialsBody("nobody-here", "not the password"));
    for (Answer answer : List.of(wrongPassword, unknownName)) {
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.errorCode()).isEqualTo("invalid_credentials");
      assertThat(answer.setCookie(ApiClient.SESSION_COOKIE)).isNull();
    }
    assertThat(wrongPassword.json()).isEqualTo(unknownName.json());

    Answer ok = anonymous().post("/api/auth/login", credentialsBody("ERIN", PASSWORD));
    assertThat(ok.status()).as("names are compared lower-cased").isEqualTo(200);
    assertThat(ok.json().getJsonObject("user").getString("username")).isEqualTo("erin");
    assertThat(cookieAttributes(ok.setCookie(ApiClient.SESSION_COOKIE))).containsExactlyInAnyOrder("httponly", "samesite=lax", "path=/", THIRTY_DAYS);
    assertThat(anonymous().withSession(ApiClient.sessionOf(ok)).me().getJsonObject("user").getString("username")).isEqualTo("erin");

    for (String body : List.of("nope", "[]", "{}", "{\"username\":\"erin\"}", "{\"username\":\"erin\",\"password\":1}")) {
      Answer malformed = anonymous().post("/api/auth/login", body);
      assertThat(malformed.status()).as(body).isEqualTo(400);
      assertThat(malformed.errorCode()).as(body).isEqualTo("bad_request");
    }
  }

  @Test
  void fiveFailuresForANameAndItIsRefusedForAWhile() {
    ApiClient.signUp(shared.node(), "frank", PASSWORD);
    for (int i = 1; i <= 5; i++) {
      Answer wrong = anonymous().post("/api/auth/login", credentialsBody("frank", "wrong password " + i));
      assertThat(wrong.status()).as("failure %d", i).isEqualTo(401);
    }
    for (String password : List.of("wrong password 6", PASSWORD)) {
      Answer refused = anonymous().post("/api/auth/login", credentialsBody("frank", password));
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.errorCode()).isEqualTo("rate_limited");
      assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 15 * 60L);
      assertThat(refused.setCookie(ApiClient.SESSION_COOKIE)).isNull();
    }
    Answer otherCase = anonymous().post("/api/auth/login", credentialsBody("FRANK", PASSWORD));
    assertThat(otherCase.status()).as("the same name in capitals").isEqualTo(429);
    // Another name is not held back.
    ApiClient.signUp(shared.node(), "grace", PASSWORD);
    ApiClient.logIn(shared.node(), "grace", PASSWORD);
  }

  @Test
  void guessesSentAllAtOnceAreHeldToFiveToo() {
    ApiClient.signUp(shared.node(), "kate", PASSWORD);
    List<Future<Answer>> guesses = IntStream.range(0, 20)
        .mapToObj(i -> anonymous().requestAsync(HttpMethod.POST, "/api/auth/login", credentialsBody("kate", "guess number " + i).toBuffer(),
            "Content-Type", "application/json"))
        .toList();
    List<Answer> answers = ApiClient.await(Future.join(guesses)).list();
    assertThat(answers).extracting(Answer::status).containsOnly(401, 429);
    assertThat(answers.stream().filter(answer -> answer.status() == 401)).as("guesses checked").hasSizeLessThanOrEqualTo(5);
    assertThat(anonymous().post("/api/auth/login", credentialsBody("kate", PASSWORD)).status()).isEqualTo(429);
  }

  @Test
  void logoutEndsTheSessionOnTheServer() {
    ApiClient.signUp(shared.node(), "heidi", PASSWORD);
    ApiClient phone = ApiClient.logIn(shared.node(), "heidi", PASSWORD);
    ApiClient laptop = ApiClient.logIn(shared.node(), "heidi", PASSWORD);
    phone.me();

    Answer out = phone.post("/api/auth/logout", null);
    assertThat(out.status()).isEqualTo(204);
    assertThat(cookieAttributes(out.setCookie(ApiClient.SESSION_COOKIE))).as("the browser is told to forget it").contains("max-age=0");

    Answer after = phone.get("/api/me");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.errorCode()).isEqualTo("unauthenticated");
    assertThat(laptop.me().getJsonObject("user").getString("username")).as("other sessions stay").isEqualTo("heidi");
    assertThat(anonymous().post("/api/auth/logout", null).status()).as("signed out already").isEqualTo(204);
  }

  @Test
  void meShowsTheAccountAndItsUsage() {
    ApiClient ivan = ApiClient.signUp(shared.node(), "ivan", PASSWORD);
    JsonObject me = ivan.me();
    assertThat(me.fieldNames()).containsExactlyInAnyOrder("user", "usage");
    assertThat(me.getJsonObject("user").fieldNames()).containsExactlyInAnyOrder("id", "username", "role");
    assertThat(me.getJsonObject("user").getString("username")).isEqualTo("ivan");
    assertThat(me.getJsonObject("user").getString("role")).isEqualTo("user");
    JsonObject zero = new JsonObject().put("replies", 0).put("promptTokens", 0).put("completionTokens", 0);
    assertThat(me.getJsonObject("usage")).isEqualTo(new JsonObject().put("today", zero).put("month", zero));
  }

  @Test
  void withoutCredentialsEveryApiRouteButAuthAnswers401() {
    String[][] routes = {
        {"GET", "/api/me"}, {"GET", "/api/tokens"}, {"POST", "/api/tokens"}, {"DELETE", "/api/tokens/abc"},
        {"GET", "/api/users"}, {"POST", "/api/users"}, {"DELETE", "/api/users/abc"},
        {"POST", "/api/messages"}, {"GET", "/api/messages/some-chat"}, {"GET", "/api/chats"}, {"DELETE", "/api/chats/some-chat"},
        {"GET", "/api/stream/some-chat"}, {"POST", "/api/stream/some-chat/terminate"}, {"GET", "/api/no-such-route"}};
    List<ApiClient> strangers = List.of(anonymous(), anonymous().withSession("not-a-session"),
        anonymous().withToken("parley_not-a-token"), anonymous().withToken(""));
    for (ApiClient stranger : strangers) {
      for (String[] route : routes) {
        Buffer body = route[0].equals("POST") ? Buffer.buffer("{\"chatId\":\"some-chat\",\"content\":\"hi\",\"name\":\"t\"}") : null;
        Answer answer = stranger.request(HttpMethod.valueOf(route[0]), route[1], body, "Content-Type", "application/json");
        assertThat(answer.status()).as("%s %s with %s", route[0], route[1], stranger.credentials()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("unauthenticated");
      }
    }
    Answer basic = anonymous().get("/api/me", "Authorization", "Basic cm9vdDpjb3JyZWN0IGhvcnNlIGJhdHRlcnk=");
    assertThat(basic.status()).isEqualTo(401);
    assertThat(anonymous().get("/api/auth/config").status()).as("open to all").isEqualTo(200);
  }

  @Test
  void aProxysBasicSignInBesideTheCookieLeavesTheCookieInCharge() {
    // A reverse proxy with its own Basic sign-in passes its Authorization header on with every request.
    ApiClient lena = ApiClient.signUp(shared.node(), "lena", PASSWORD);
    String basic = "Basic " + Base64.getEncoder().encodeToString("proxyuser:proxypass".getBytes(StandardCharsets.UTF_8));
    Answer me = lena.get("/api/me", "Authorization", basic);
    assertThat(me.status()).as(me.toString()).isEqualTo(200);
    assertThat(me.json().getJsonObject("user").getString("username")).isEqualTo("lena");
    // Still a cookie request: a change from another origin is refused.
    Answer forged = lena.post("/api/tokens", new JsonObject().put("name", "x"), "Authorization", basic, "Origin", "http://evil.example");
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.errorCode()).isEqualTo("csrf");
  }

  @Test
  void aSessionIsNoBearerTokenAndATokenNoSessionCookie() {
    ApiClient judy = ApiClient.signUp(shared.node(), "judy", PASSWORD);
    String token = judy.createToken("script").getString("token");
    Answer sessionAsBearer = anonymous().withToken(judy.sessionId()).get("/api/me");
    assertThat(sessionAsBearer.status()).isEqualTo(401);
    Answer tokenAsCookie = anonymous().withSession(token).get("/api/me");
    assertThat(tokenAsCookie.status()).isEqualTo(401);
    assertThat(anonymous().withToken(token).me().getJsonObject("user").getString("username")).isEqualTo("judy");
  }
}
