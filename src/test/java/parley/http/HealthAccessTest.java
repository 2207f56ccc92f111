package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import parley.auth.Caller;
import parley.auth.Role;
import parley.support.WithNodeSettings;

/** /health: the details on loopback (or for an admin), only UP or DOWN for everyone else. */
class HealthAccessTest extends WithNodeSettings {
  private HttpRequest<Buffer> health() {
    return node.web().get(node.port(), "127.0.0.1", "/health");
  }

  @Test
  void loopbackGetsTheDetailsAndAProxiedCallerOnlyTheStatus(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> Future.all(health().send(), health().putHeader("X-Forwarded-For", "203.0.113.9").send(),
            health().putHeader("Forwarded", "for=203.0.113.9;proto=https").send()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> local = all.resultAt(0);
          assertThat(local.statusCode()).isEqualTo(200);
          assertThat(local.bodyAsJsonObject().getString("status")).isEqualTo("UP");
          assertThat(local.bodyAsJsonObject().getJsonArray("checks").stream().map(check -> ((JsonObject) check).getString("id")))
              .containsExactlyInAnyOrder("store", "model");
          assertThat(local.bodyAsString()).as("the model's address").contains("127.0.0.1:" + java.net.URI.create(node.upstream().baseUrl()).getPort());
          for (HttpResponse<Buffer> proxied : List.<HttpResponse<Buffer>>of(all.resultAt(1), all.resultAt(2))) {
            assertThat(proxied.statusCode()).isEqualTo(200);
            assertThat(proxied.getHeader("Content-Type")).startsWith("application/json");
            assertThat(proxied.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
          }
          ctx.completeNow();
        })));
  }

  @Test
  void aNodeThatIsDownSaysOnlyThatToOthers(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> node.upstream().close())
        .compose(v -> Future.all(health().send(), health().putHeader("X-Forwarded-For", "203.0.113.9").send()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> local = all.resultAt(0);
          HttpResponse<Buffer> proxied = all.resultAt(1);
          assertThat(local.statusCode()).isEqualTo(503);
          assertThat(local.bodyAsJsonObject().getJsonArray("checks")).isNotEmpty();
          assertThat(proxied.statusCode()).isEqualTo(503);
          assertThat(proxied.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "DOWN"));
          ctx.completeNow();
        })));
  }

  @Test
  void detailsGoToAdminsAndToCallersOnThisMachine() {
    Caller admin = new Caller("u1", "u1", Role.ADMIN, Caller.Via.COOKIE);
    Caller user = new Caller("u2", "u2", Role.USER, Caller.Via.BEARER);
    assertThat(HealthAccess.showsDetails("127.0.0.1", false, null)).isTrue();
    assertThat(HealthAccess.showsDetails("127.0.0.53", false, null)).isTrue();
    assertThat(HealthAccess.showsDetails("0:0:0:0:0:0:0:1", false, null)).isTrue();
    assertThat(HealthAccess.showsDetails("::1", false, null)).isTrue();
    assertThat(HealthAccess.showsDetails("10.1.2.3", false, null)).isFalse();
    assertThat(HealthAccess.showsDetails("192.168.0.10", false, user)).isFalse();
    assertThat(HealthAccess.showsDetails("2001:db8::7", false, null)).isFalse();
    assertThat(HealthAccess.showsDetails("203.0.113.9", false, admin)).isTrue();
    assertThat(HealthAccess.showsDetails("127.0.0.1", true, null)).as("a proxy on this machine, for someone anywhere").isFalse();
    assertThat(HealthAccess.showsDetails("127.0.0.1", true, user)).isFalse();
    assertThat(HealthAccess.showsDetails("127.0.0.1", true, admin)).isTrue();
    assertThat(HealthAccess.showsDetails(null, false, null)).isFalse();
  }

  @Test
  void theRedactedAnswerSaysOnlyUpOrDown() {
    JsonObject secret = new JsonObject().put("endpoint", "llm.internal:443").put("error", "connection refused: mongo.internal:27017");
    CheckResult down = new CheckResult().setStatus(Status.KO(secret))
        .setChecks(List.of(CheckResult.from("store", Status.KO(secret)), CheckResult.from("model", Status.OK(secret))));
    CheckResult up = new CheckResult().setStatus(Status.OK(secret))
        .setChecks(List.of(CheckResult.from("store", Status.OK(secret)), CheckResult.from("model", Status.OK(secret))));

    assertThat(HealthAccess.redacted(down)).isEqualTo(new JsonObject().put("status", "DOWN"));
    assertThat(HealthAccess.redacted(up)).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(HealthAccess.redacted(null)).isEqualTo(new JsonObject().put("status", "DOWN"));
    assertThat(HealthAccess.statusCode(HealthAccess.redacted(up))).isEqualTo(200);
    assertThat(HealthAccess.statusCode(HealthAccess.redacted(down))).isEqualTo(503);
  }
}
