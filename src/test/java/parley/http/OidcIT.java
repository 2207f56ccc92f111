package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream;
import parley.support.Keycloak;
import parley.support.SseCapture;
import parley.support.TestNode;
import parley.support.TwoNodeCluster;
import parley.support.WithKeycloak;

/**
 * {@code PARLEY_AUTH=oidc} against a real Keycloak (started once for the run by
 * {@link WithKeycloak}): the provider's own access tokens as bearer tokens, the authorization code
 * flow through Keycloak's login form, and the callbacks that must sign nobody in.
 */
@ExtendWith(WithKeycloak.class)
class OidcIT {
  private static Vertx vertx;
  private static Keycloak keycloak;
  private static TestNode node;
  private static WebClient noRedirects;

  @BeforeAll
  static void start(Keycloak provider, @TempDir Path dataDir) throws Exception {
    keycloak = provider;
    vertx = Vertx.vertx();
    noRedirects = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    int port = freePort();
    String publicUrl = "http://127.0.0.1:" + port;
    keycloak.allowParleyAt(publicUrl);
    Map<String, Object> settings = oidcSettings(publicUrl);
    settings.put("PARLEY_HTTP_PORT", port);
    node = TestNode.start(vertx, dataDir, settings).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.stop().await(30, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Map<String, Object> oidcSettings(String publicUrl) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("PARLEY_AUTH", "oidc");
    settings.put("PARLEY_OIDC_ISSUER", keycloak.issuer());
    settings.put("PARLEY_OIDC_CLIENT_ID", Keycloak.CLIENT_ID);
    settings.put("PARLEY_OIDC_CLIENT_SECRET", Keycloak.CLIENT_SECRET);
    settings.put("PARLEY_OIDC_ADMIN_GROUP", Keycloak.ADMIN_GROUP);
    settings.put("PARLEY_PUBLIC_URL", publicUrl);
    return settings;
  }

  @Test
  void aServiceWithAClientCredentialsTokenListsChatsSendsAndWatchesTheReplyStream() throws Exception {
    ApiClient service = ApiClient.anonymous(node).withToken(keycloak.serviceToken(Keycloak.SERVICE_CLIENT));
    JsonObject me = service.me().getJsonObject("user");
    assertThat(me.getString("username")).isEqualTo("service-account-parley-service");
    assertThat(me.getString("role")).isEqualTo("user");

    assertThat(service.chatIds()).isEmpty();
    node.upstream().script(FakeUpstream.Script.echo(5));
    JsonObject sent = service.send("service-chat", "status report please");
    assertThat(sent.getJsonObject("reply").getString("status")).isEqualTo("streaming");
    List<SseCapture.Event> events = service.replyEnded("service-chat");
    assertThat(events.get(events.size() - 1).json().getString("status")).isEqualTo("complete");
    assertThat(service.chatIds()).containsExactly("service-chat");
    assertThat(service.history("service-chat")).hasSize(2);

    // The same account's personal API token works alongside the provider's token.
    ApiClient script = service.script("nightly job");
    assertThat(script.userId()).isEqualTo(me.getString("id"));
    assertThat(script.chatIds()).containsExactly("service-chat");
    // A fresh token of the same client is the same account: linked by (iss, sub), made once.
    assertThat(ApiClient.anonymous(node).withToken(keycloak.serviceToken(Keycloak.SERVICE_CLIENT)).userId()).isEqualTo(me.getString("id"));
  }

  @Test
  void aProviderTokenWithItsSignatureAlteredIsRefused() throws Exception {
    String token = keycloak.serviceToken(Keycloak.SERVICE_CLIENT);
    String[] parts = token.split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[signature.length / 2] ^= 0x01;
    String altered = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    assertThat(ApiClient.anonymous(node).withToken(token).get("/api/chats").status()).isEqualTo(200);

    Answer refused = ApiClient.anonymous(node).withToken(altered).get("/api/chats");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.errorCode()).isEqualTo("unauthenticated");
    // Nor claims rewritten under the original signature.
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    String rewritten = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(claims.put("sub", "someone-else").encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(ApiClient.anonymous(node).withToken(rewritten).get("/api/me").status()).isEqualTo(401);
  }

  @Test
  void aTokenSignedWithAKeyRotatedInAtTheProviderIsAcceptedOnceTheKeysAreFetchedAgain() throws Exception {
    String before = keycloak.serviceToken(Keycloak.SERVICE_CLIENT);
    assertThat(ApiClient.anonymous(node).withToken(before).get("/api/me").status()).isEqualTo(200);

    keycloak.rotateKeys();
    String after = keycloak.serviceToken(Keycloak.SERVICE_CLIENT);
    assertThat(header(after).getString("kid")).isNotEqualTo(header(before).getString("kid"));
    Answer me = ApiClient.anonymous(node).withToken(after).get("/api/me");
    assertThat(me.status()).as(me.toString()).isEqualTo(200);
    assertThat(me.json().getJsonObject("user").getString("username")).isEqualTo("service-account-parley-service");
    // The token from before the rotation is still good: its key is still published.
    assertThat(ApiClient.anonymous(node).withToken(before).get("/api/me").status()).isEqualTo(200);
  }

  private static JsonObject header(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8));
  }

  @Test
  void aProviderTokenIssuedForAnotherAudienceIsRefused() throws Exception {
    String token = keycloak.serviceToken(Keycloak.OTHER_CLIENT);
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    assertThat(claims.getString("iss")).isEqualTo(keycloak.issuer());
    assertThat(String.valueOf(claims.getValue("aud"))).doesNotContain(Keycloak.CLIENT_ID);

    Answer refused = ApiClient.anonymous(node).withToken(token).get("/api/chats");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.errorCode()).isEqualTo("unauthenticated");
  }

  @Test
  void peopleSignInThroughKeycloaksLoginFormAndTheAdminGroupMakesAdmins() throws Exception {
    Answer config = ApiClient.anonymous(node).get("/api/auth/config");
    assertThat(config.json()).isEqualTo(new JsonObject().put("mode", "oidc").put("signup", "closed").put("needsSetup", false));

    ApiClient anna = signIn(node, node, Keycloak.ANNA);
    assertThat(anna.me().getJsonObject("user").getString("username")).isEqualTo("anna");
    assertThat(anna.me().getJsonObject("user").getString("role")).isEqualTo("admin");
    ApiClient ben = signIn(node, node, Keycloak.BEN);
    assertThat(ben.me().getJsonObject("user").getString("role")).isEqualTo("user");
    assertThat(ben.get("/api/users").status()).isEqualTo(403);
    assertThat(anna.get("/api/users").status()).isEqualTo(200);

    // Passwords are the provider's business here.
    assertThat(ApiClient.anonymous(node).post("/api/auth/login", ApiClient.credentialsBody("anna", "anna-password-1")).errorCode())
        .isEqualTo("forbidden");

    // Signing out ends the session here and offers the provider's end-session URL.
    Answer out = anna.post("/api/auth/logout", null);
    assertThat(out.status()).isEqualTo(200);
    URI endSession = URI.create(out.json().getString("endSessionUrl"));
    assertThat(endSession.toString()).startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?");
    assertThat(endSession.getQuery()).contains("client_id=parley").contains("post_logout_redirect_uri=" + node.settings().access().publicUrl() + "/");
    assertThat(anna.get("/api/me").status()).isEqualTo(401);
  }

  @Test
  void aSignInBegunOnOneNodeOfAClusterFinishesOnTheOther(@TempDir Path clusterDir) throws Exception {
    String publicUrl = "http://parley.cluster.test";
    keycloak.allowParleyAt(publicUrl);
    TwoNodeCluster cluster = TwoNodeCluster.start(vertx, clusterDir, new HashMap<>(oidcSettings(publicUrl))).await(90, TimeUnit.SECONDS);
    try {
      ApiClient carl = signIn(cluster.a(), cluster.b(), Keycloak.CARL);
      assertThat(carl.me().getJsonObject("user").getString("username")).isEqualTo("carl");
      // The session made on B is valid on A.
      Answer onA = ApiClient.anonymous(cluster.a()).withSession(carl.sessionId()).get("/api/me");
      assertThat(onA.status()).isEqualTo(200);
    } finally {
      cluster.stop().await(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aForgedCallbackSignsNobodyIn() throws Exception {
    // No sign-in was begun: any state is wrong.
    Answer forged = callback(node, "/auth/callback?state=made-up&code=bogus", null);
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.errorCode()).isEqualTo("login_failed");
    assertThat(ApiClient.sessionOf(forged)).isNull();

    // A sign-in begun here, with its state and browser, but a code the provider never issued.
    Begun begun = begin(node);
    Answer bogusCode = callback(node, "/auth/callback?state=" + begun.state() + "&code=bogus-code", begun.loginCookie());
    assertThat(bogusCode.status()).isEqualTo(400);
    assertThat(bogusCode.errorCode()).isEqualTo("login_failed");
    assertThat(ApiClient.sessionOf(bogusCode)).isNull();

    // A real code from Keycloak, brought back with a wrong state, or to another browser.
    Begun real = begin(node);
    String back = keycloak.signIn(real.authorizeUrl(), Keycloak.BEN);
    String query = URI.create(back).getRawQuery();
    Answer wrongState = callback(node, "/auth/callback?" + query.replace("state=" + real.state(), "state=not-" + real.state()), real.loginCookie());
    assertThat(wrongState.status()).isEqualTo(400);
    assertThat(ApiClient.sessionOf(wrongState)).isNull();

    Begun another = begin(node);
    String anotherBack = keycloak.signIn(another.authorizeUrl(), Keycloak.BEN);
    Answer otherBrowser = callback(node, "/auth/callback?" + URI.create(anotherBack).getRawQuery(), begin(node).loginCookie());
    assertThat(otherBrowser.status()).isEqualTo(400);
    assertThat(otherBrowser.errorCode()).isEqualTo("login_failed");
    assertThat(ApiClient.sessionOf(otherBrowser)).isNull();

    // The provider saying no (the person cancelled) is no sign-in either.
    Answer denied = callback(node, "/auth/callback?error=access_denied&state=" + begin(node).state(), null);
    assertThat(denied.status()).isEqualTo(400);
    assertThat(denied.errorCode()).isEqualTo("login_failed");
  }

  @Test
  void theLoginRedirectAsksForTheCodeWithPkceStateAndNonce() throws Exception {
    Begun begun = begin(node);
    URI authorize = URI.create(begun.authorizeUrl());
    assertThat(begun.authorizeUrl()).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
    Map<String, String> query = new HashMap<>();
    for (String pair : authorize.getQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", Keycloak.CLIENT_ID)
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("redirect_uri", node.settings().access().publicUrl() + "/auth/callback")
        .containsKeys("state", "nonce", "code_challenge");
    assertThat(query.get("code_challenge")).hasSize(43);
    assertThat(query.get("scope")).contains("openid");
  }

  /** A sign-in begun on a node: the provider's URL, its state, and the browser's login cookie. */
  private record Begun(String authorizeUrl, String state, String loginCookie) {}

  private static Begun begin(TestNode on) throws Exception {
    var response = noRedirects.get(on.port(), "127.0.0.1", "/auth/login").send().await(15, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(302);
    String location = response.getHeader("Location");
    String state = null;
    for (String pair : URI.create(location).getRawQuery().split("&")) {
      if (pair.startsWith("state=")) {
        state = pair.substring("state=".length());
      }
    }
    String cookie = response.cookies().stream().filter(line -> line.startsWith(OidcRoutes.LOGIN_COOKIE + "=")).findFirst().orElseThrow();
    assertThat(cookie).containsIgnoringCase("HttpOnly").contains("Path=/auth/callback");
    return new Begun(location, state, cookie.substring(0, cookie.indexOf(';')));
  }

  private static Answer callback(TestNode on, String pathAndQuery, String loginCookie) throws Exception {
    var request = noRedirects.get(on.port(), "127.0.0.1", pathAndQuery);
    if (loginCookie != null) {
      request.putHeader("Cookie", loginCookie);
    }
    return ApiClient.answer(request.send().await(30, TimeUnit.SECONDS));
  }

  /** The whole code flow: begun on {@code first}, Keycloak's form filled, the way back taken to {@code second}. */
  private static ApiClient signIn(TestNode first, TestNode second, Keycloak.Person person) throws Exception {
    Begun begun = begin(first);
    String back = keycloak.signIn(begun.authorizeUrl(), person);
    assertThat(back).startsWith(first.settings().access().publicUrl() + "/auth/callback?");
    Answer answer = callback(second, "/auth/callback?" + URI.create(back).getRawQuery(), begun.loginCookie());
    assertThat(answer.status()).as(answer.toString()).isEqualTo(302);
    assertThat(answer.header("Location")).isEqualTo("/");
    String session = ApiClient.sessionOf(answer);
    assertThat(session).isNotNull();
    assertThat(answer.setCookie(ApiClient.SESSION_COOKIE)).containsIgnoringCase("HttpOnly").contains("SameSite=Lax");
    // The same way back a second time signs nobody in: each sign-in is used once.
    Answer replayed = callback(second, "/auth/callback?" + URI.create(back).getRawQuery(), begun.loginCookie());
    assertThat(replayed.status()).isEqualTo(400);
    assertThat(ApiClient.sessionOf(replayed)).isNull();
    return ApiClient.anonymous(second).withSession(session);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
