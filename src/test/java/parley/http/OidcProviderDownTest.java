package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.LogCapture;
import parley.support.Poll;
import parley.support.WithNodeSettings;

/**
 * A node whose OpenID Connect provider cannot be reached when it starts: it starts, says so in one
 * log line, keeps every door shut (nobody is taken for signed in), answers sign-in with
 * {@code 503 auth_unavailable}, and opens sign-in by itself once the provider answers.
 */
class OidcProviderDownTest extends WithNodeSettings {
  private static final String CLIENT_SECRET = "never-log-this-client-secret";

  @Test
  void aNodeWhoseProviderIsDownSaysSoOnceRefusesSignInAndOpensItWhenTheProviderComesUp(Vertx vertx) throws Exception {
    int providerPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      providerPort = socket.getLocalPort();
    }
    String issuer = "http://127.0.0.1:" + providerPort + "/realms/acme";
    try (LogCapture logs = new LogCapture()) {
      start(vertx, Map.of(
          "PARLEY_AUTH", "oidc",
          "PARLEY_OIDC_ISSUER", issuer,
          "PARLEY_OIDC_CLIENT_ID", "parley",
          "PARLEY_OIDC_CLIENT_SECRET", CLIENT_SECRET,
          "PARLEY_PUBLIC_URL", "http://chat.example.test")).await(30, TimeUnit.SECONDS);
      assertThat(logs.lines().stream().filter(line -> line.contains("cannot be reached")))
          .singleElement().satisfies(line -> assertThat(line).contains(issuer).contains("auth_unavailable"));

      ApiClient anonymous = ApiClient.anonymous(node);
      assertThat(anonymous.get("/api/auth/config").json().getString("mode")).isEqualTo("oidc");
      assertThat(anonymous.get("/api/chats").status()).isEqualTo(401);
      Answer login = anonymous.get("/auth/login");
      assertThat(login.status()).isEqualTo(503);
      assertThat(login.errorCode()).isEqualTo("auth_unavailable");
      // A provider's token cannot be checked yet: not "nobody", but "not now".
      Answer providerToken = anonymous.withToken("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln").get("/api/chats");
      assertThat(providerToken.status()).isEqualTo(503);
      assertThat(providerToken.errorCode()).isEqualTo("auth_unavailable");
      assertThat(anonymous.withToken("parley_not-a-real-token").get("/api/chats").status()).isEqualTo(401);
      // Nor can a way back arrive that no sign-in here began.
      assertThat(anonymous.get("/auth/callback?state=x&code=y").errorCode()).isEqualTo("login_failed");

      HttpServer provider = discoveryAt(vertx, providerPort, issuer).await(10, TimeUnit.SECONDS);
      try {
        WebClient noRedirects = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
        String location = Poll.until(vertx,
                () -> noRedirects.get(node.port(), "127.0.0.1", "/auth/login").send()
                    .map(response -> response.statusCode() == 302 ? response.getHeader("Location") : null),
                found -> found != null, 20_000)
            .await(25, TimeUnit.SECONDS);
        assertThat(location).startsWith(issuer + "/protocol/openid-connect/auth?");
        assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains(issuer).contains("discovered"));
        assertThat(logs.lines().stream().filter(line -> line.contains("cannot be reached"))).hasSize(1);
      } finally {
        provider.close().await(10, TimeUnit.SECONDS);
      }
      assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains(CLIENT_SECRET));
    }
  }

  /** The provider's discovery document and an empty key set, as a provider that has just come up serves them. */
  private static Future<HttpServer> discoveryAt(Vertx vertx, int port, String issuer) {
    JsonObject discovery = new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", issuer + "/protocol/openid-connect/auth")
        .put("token_endpoint", issuer + "/protocol/openid-connect/token")
        .put("jwks_uri", issuer + "/protocol/openid-connect/certs");
    return vertx.createHttpServer().requestHandler(request -> {
      String body = request.path().endsWith("/.well-known/openid-configuration") ? discovery.encode()
          : request.path().endsWith("/certs") ? new JsonObject().put("keys", new JsonArray()).encode() : null;
      if (body == null) {
        request.response().setStatusCode(404).end();
      } else {
        request.response().putHeader("Content-Type", "application/json").end(body);
      }
    }).listen(port, "127.0.0.1");
  }
}
