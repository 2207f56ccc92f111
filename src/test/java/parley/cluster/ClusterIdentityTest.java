package parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.support.FakeUpstream.Script;
import parley.support.Poll;
import parley.support.TestNode;
import parley.support.TwoNodeCluster;

/**
 * Accounts on two clustered nodes: a session made on one works on the other, a token revoked or a
 * session ended on one stops working on the other at once (though the other had it cached), and
 * a user's sends are counted across both.
 */
@ExtendWith(VertxExtension.class)
class ClusterIdentityTest {
  private static final int SENDS_PER_MINUTE = 3;

  @TempDir static Path dataDir;
  private static TwoNodeCluster cluster;
  private static TestNode nodeA;
  private static TestNode nodeB;
  private static String adminCookie;

  @BeforeAll
  static void startCluster(Vertx vertx, VertxTestContext ctx) {
    TwoNodeCluster.start(vertx, dataDir, Map.of(
            "PARLEY_AUTH", "local",
            "PARLEY_SIGNUP", "open",
            "PARLEY_USER_SENDS_PER_MINUTE", SENDS_PER_MINUTE))
        .compose(started -> {
          cluster = started;
          cluster.upstream().script(Script.tokens(List.of("Hi", "."), 1));
          nodeA = started.a();
          nodeB = started.b();
          return signUp(nodeA, "admin");
        })
        .onComplete(ctx.succeeding(cookie -> {
          adminCookie = cookie;
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void stopCluster(VertxTestContext ctx) {
    cluster.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSessionMadeOnAWorksOnBAndEndsEverywhereOnLogout(VertxTestContext ctx) {
    signUp(nodeA, "carol")
        .compose(cookie -> call(nodeB, HttpMethod.GET, "/api/me", cookie, null, null).map(me -> {
          ctx.verify(() -> {
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.bodyAsJsonObject().getJsonObject("user").getString("username")).isEqualTo("carol");
          });
          return cookie;
        }))
        .compose(cookie -> call(nodeB, HttpMethod.POST, "/api/auth/logout", cookie, null, null).map(cookie))
        .compose(cookie -> call(nodeA, HttpMethod.GET, "/api/me", cookie, null, null))
        .onComplete(ctx.succeeding(afterLogout -> ctx.verify(() -> {
          assertThat(afterLogout.statusCode()).isEqualTo(401);
          assertThat(afterLogout.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unauthenticated");
          ctx.completeNow();
        })));
  }

  @Test
  void aTokenRevokedOnAStopsWorkingOnBAtOnce(VertxTestContext ctx) {
    call(nodeA, HttpMethod.POST, "/api/tokens", adminCookie, null, new JsonObject().put("name", "script"))
        .compose(created -> {
          JsonObject token = created.bodyAsJsonObject();
          // B learns the token (and caches it) before A revokes it.
          return call(nodeB, HttpMethod.GET, "/api/chats", null, token.getString("token"), null)
              .compose(before -> {
                ctx.verify(() -> assertThat(before.statusCode()).isEqualTo(200));
                return call(nodeA, HttpMethod.DELETE, "/api/tokens/" + token.getString("id"), adminCookie, null, null);
              })
              .compose(revoked -> {
                ctx.verify(() -> assertThat(revoked.statusCode()).isEqualTo(204));
                return call(nodeB, HttpMethod.GET, "/api/chats", null, token.getString("token"), null);
              });
        })
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertThat(after.statusCode()).isEqualTo(401);
          ctx.completeNow();
        })));
  }

  @Test
  void aUsersSendsAreCountedAcrossNodes(VertxTestContext ctx) {
    signUp(nodeB, "dave")
        .compose(cookie -> sendAndAwaitEnd(nodeA, cookie, "dave-1")
            .compose(v -> sendAndAwaitEnd(nodeB, cookie, "dave-2"))
            .compose(v -> sendAndAwaitEnd(nodeA, cookie, "dave-3"))
            .compose(v -> call(nodeB, HttpMethod.POST, "/api/messages", cookie, null,
                new JsonObject().put("chatId", "dave-4").put("content", "one too many")))
            .compose(refused -> {
              ctx.verify(() -> {
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("rate_limited");
                assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isBetween(1L, 60L);
              });
              return call(nodeA, HttpMethod.GET, "/api/chats", cookie, null, null);
            }))
        .onComplete(ctx.succeeding(chats -> ctx.verify(() -> {
          assertThat(chats.bodyAsJsonArray()).as("the refused send stored nothing").hasSize(SENDS_PER_MINUTE);
          ctx.completeNow();
        })));
  }

  private static Future<Void> sendAndAwaitEnd(TestNode node, String cookie, String chatId) {
    return call(node, HttpMethod.POST, "/api/messages", cookie, null, new JsonObject().put("chatId", chatId).put("content", "hi"))
        .compose(sent -> {
          if (sent.statusCode() != 201) {
            return Future.failedFuture(new AssertionError("send refused: " + sent.bodyAsString()));
          }
          String replyId = sent.bodyAsJsonObject().getJsonObject("reply").getString("id");
          return Poll.until(node.vertx(),
              () -> call(node, HttpMethod.GET, "/api/messages/" + chatId, cookie, null, null).map(history -> history.bodyAsJsonArray()
                  .stream().map(JsonObject.class::cast).anyMatch(m -> m.getString("id").equals(replyId)
                      && !"streaming".equals(m.getString("status")))),
              ended -> ended, 10_000).mapEmpty();
        });
  }

  /** Signs up and answers the session cookie ({@code name=value}). */
  private static Future<String> signUp(TestNode node, String username) {
    return call(node, HttpMethod.POST, "/api/auth/signup", null, null,
        new JsonObject().put("username", username).put("password", "correct horse " + username))
        .map(response -> {
          if (response.statusCode() != 201) {
            throw new AssertionError("sign-up refused: " + response.bodyAsString());
          }
          String setCookie = response.cookies().stream().filter(c -> c.startsWith("parley_session=")).findFirst().orElseThrow();
          return setCookie.substring(0, setCookie.indexOf(';'));
        });
  }

  private static Future<HttpResponse<Buffer>> call(TestNode node, HttpMethod method, String path, String cookie, String token,
      JsonObject body) {
    HttpRequest<Buffer> request = node.web().request(method, node.port(), "127.0.0.1", path);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return body == null ? request.send() : request.sendJsonObject(body);
  }
}
