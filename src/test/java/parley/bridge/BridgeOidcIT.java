package parley.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.Keycloak;
import parley.support.RunningNode;
import parley.support.WithKeycloak;

/**
 * The TCP bridge with {@code PARLEY_AUTH=oidc}: a frame carrying a provider access token for
 * Parley acts as that token's account; one issued for another audience is refused.
 */
@ExtendWith(WithKeycloak.class)
class BridgeOidcIT {
  private static RunningNode shared;
  private static int bridgePort;
  private static Keycloak keycloak;

  @BeforeAll
  static void start(Keycloak provider, @TempDir Path dataDir) {
    keycloak = provider;
    bridgePort = BridgeClient.freePort();
    shared = RunningNode.start(dataDir, Map.of(
        "PARLEY_AUTH", "oidc",
        "PARLEY_OIDC_ISSUER", keycloak.issuer(),
        "PARLEY_OIDC_CLIENT_ID", Keycloak.CLIENT_ID,
        "PARLEY_OIDC_CLIENT_SECRET", Keycloak.CLIENT_SECRET,
        "PARLEY_PUBLIC_URL", "http://parley.bridge.test",
        "PARLEY_BRIDGE_PORT", bridgePort));
  }

  @AfterAll
  static void stop() {
    if (shared != null) {
      shared.close();
    }
  }

  @Test
  void aProviderTokenForParleyActsOnTheBridgeAndOneForAnotherAudienceIsRefused() throws Exception {
    String token = keycloak.serviceToken(Keycloak.SERVICE_CLIENT);
    ApiClient overHttp = shared.anonymous().withToken(token);
    overHttp.send("bridge-chat", "made over HTTP");
    overHttp.replyEnded("bridge-chat");

    JsonObject listed = listChats(token, "mine");
    assertThat(listed.getString("type")).as(listed.encode()).isEqualTo("message");
    assertThat(listed.getJsonArray("body").stream().map(chat -> ((JsonObject) chat).getString("chatId"))).containsExactly("bridge-chat");

    JsonObject refused = listChats(keycloak.serviceToken(Keycloak.OTHER_CLIENT), "theirs");
    assertThat(refused.getString("type")).as(refused.encode()).isEqualTo("err");
    assertThat(refused.getInteger("failureCode")).isEqualTo(401);
    assertThat(refused.getString("message")).startsWith("unauthenticated");
  }

  /** {@code parley.chats.list} over a fresh bridge connection with this bearer token: the answer frame. */
  private static JsonObject listChats(String token, String replyAddress) {
    Vertx vertx = shared.node().vertx();
    return on(vertx, () -> BridgeClient.connect(vertx, bridgePort).compose(client -> {
      Future<JsonObject> answer = client.nextFrame(frame -> replyAddress.equals(frame.getString("address")));
      client.write(new JsonObject()
          .put("type", "send")
          .put("address", "parley.chats.list")
          .put("body", new JsonObject())
          .put("replyAddress", replyAddress)
          .put("headers", new JsonObject().put("authorization", "Bearer " + token)));
      return answer;
    }));
  }

  private static <T> T on(Vertx vertx, Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> action.get().onComplete(done));
    return ApiClient.await(done.future());
  }
}
