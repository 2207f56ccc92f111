package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import parley.support.WithNodeSettings;

/** A change sent from a page of another origin is refused with 403 csrf; no preflight is ever granted. */
class CsrfTest extends WithNodeSettings {
  private static final String EVIL = "http://evil.example";

  private HttpRequest<Buffer> request(HttpMethod method, String uri, String... headers) {
    HttpRequest<Buffer> request = node.web().request(method, node.port(), "127.0.0.1", uri);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request;
  }

  private Future<HttpResponse<Buffer>> send(String chatId, String... headers) {
    return request(HttpMethod.POST, "/api/messages", headers)
        .sendJsonObject(new JsonObject().put("chatId", chatId).put("content", "hello"));
  }

  private String own() {
    return "http://127.0.0.1:" + node.port();
  }

  @Test
  void changesFromAnotherOriginAreRefusedInNoneMode(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> node.sendOk("mine", "keep me"))
        .compose(n -> Future.all(List.of(
            send("stolen", "Origin", EVIL),
            send("stolen", "Origin", "null"),
            send("stolen", "Origin", "http://127.0.0.1:" + (node.port() + 1)),
            send("stolen", "Origin", "https://127.0.0.1:" + node.port()),
            send("stolen", "Origin", EVIL, "Authorization", "Bearer parley_whatever"),
            request(HttpMethod.DELETE, "/api/chats/mine", "Origin", EVIL).send(),
            request(HttpMethod.POST, "/api/stream/mine/terminate", "Origin", EVIL).send(),
            request(HttpMethod.POST, "/", "Origin", EVIL).send())))
        .compose(refused -> Future.all(node.history("stolen"), node.history("mine")).map(histories -> {
          ctx.verify(() -> {
            for (HttpResponse<Buffer> answer : refused.<HttpResponse<Buffer>>list()) {
              assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(403);
              assertThat(answer.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("csrf");
            }
            assertThat(histories.<io.vertx.core.json.JsonArray>resultAt(0)).isEmpty();
            assertThat(histories.<io.vertx.core.json.JsonArray>resultAt(1)).isNotEmpty();
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void sameOriginNoOriginAndReadsPass(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> Future.all(List.of(
            send("same", "Origin", own()),
            send("no-origin"),
            request(HttpMethod.GET, "/api/chats", "Origin", EVIL).send(),
            request(HttpMethod.HEAD, "/api/chats", "Origin", EVIL).send()))
            .compose(answers -> RawHttp.exchange(vertx, node.port(), post("{\"chatId\":\"lh\",\"content\":\"hi\"}",
                "Host: localhost:" + node.port(), "Origin: http://localhost:" + node.port())).map(raw -> {
              ctx.verify(() -> {
                List<HttpResponse<Buffer>> list = answers.list();
                assertThat(list.subList(0, 3)).extracting(HttpResponse::statusCode).containsExactly(201, 201, 200);
                assertThat(list.get(3).statusCode()).as("HEAD is not a change").isNotEqualTo(403);
                assertThat(raw.status()).isEqualTo(201);
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void withAPublicUrlItsOriginIsParleysOwn(Vertx vertx, VertxTestContext ctx) {
    String body = "{\"chatId\":\"pub\",\"content\":\"hi\"}";
    start(vertx, Map.of("PARLEY_PUBLIC_URL", "https://chat.example.org"))
        .compose(n -> Future.all(List.of(
            RawHttp.exchange(vertx, node.port(), post(body, "Host: chat.example.org", "Origin: https://chat.example.org")),
            RawHttp.exchange(vertx, node.port(), post(body, "Host: chat.example.org", "Origin: http://chat.example.org")),
            RawHttp.exchange(vertx, node.port(), post(body, "Host: 127.0.0.1:" + node.port(), "Origin: " + own())))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<RawHttp.Answer> answers = all.list();
          assertThat(answers).extracting(RawHttp.Answer::status).containsExactly(201, 403, 403);
          assertThat(answers.get(1).errorCode()).isEqualTo("csrf");
          ctx.completeNow();
        })));
  }

  @Test
  void withAccountsOnlyBearerRequestsAreExempt(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_AUTH", "local"))
        .compose(n -> Future.all(
            send("cookie", "Origin", EVIL, "Cookie", "parley_session=anything"),
            send("bearer", "Origin", EVIL, "Authorization", "Bearer parley_anything")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> cookie = all.resultAt(0);
          HttpResponse<Buffer> bearer = all.resultAt(1);
          assertThat(cookie.statusCode()).isEqualTo(403);
          assertThat(cookie.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("csrf");
          // Whatever the token is worth, it is not refused as a forged request.
          assertThat(bearer.statusCode()).as(bearer.bodyAsString()).isNotEqualTo(403);
          ctx.completeNow();
        })));
  }

  @Test
  void noPreflightIsGranted(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> Future.all(List.of(
            preflight("/api/messages", "POST"),
            preflight("/api/chats/x", "DELETE"),
            preflight("/api/stream/x/terminate", "POST"),
            preflight("/", "PUT"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (HttpResponse<Buffer> answer : all.<HttpResponse<Buffer>>list()) {
            assertThat(answer.headers().names()).noneMatch(name -> name.toLowerCase().startsWith("access-control-allow-"));
            assertThat(answer.statusCode()).isNotEqualTo(200).isNotEqualTo(204);
          }
          ctx.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> preflight(String uri, String method) {
    return request(HttpMethod.OPTIONS, uri, "Origin", EVIL, "Access-Control-Request-Method", method,
        "Access-Control-Request-Headers", "content-type, authorization").send();
  }

  private static String post(String body, String... headers) {
    StringBuilder text = new StringBuilder("POST /api/messages HTTP/1.1\r\n");
    for (String header : headers) {
      text.append(header).append("\r\n");
    }
    return text.append("Content-Type: application/json\r\nContent-Length: ").append(body.length())
        .append("\r\nConnection: close\r\n\r\n").append(body).toString();
  }

  @Test
  void originsAreComparedWithParleysOwn() {
    assertThat(CsrfCheck.sameOrigin("http://127.0.0.1:8080", null, "127.0.0.1:8080", false)).isTrue();
    assertThat(CsrfCheck.sameOrigin("http://LOCALHOST:8080", null, "localhost:8080", false)).isTrue();
    assertThat(CsrfCheck.sameOrigin("http://example.org", null, "example.org:80", false)).isTrue();
    assertThat(CsrfCheck.sameOrigin("https://example.org", null, "example.org", false)).isFalse();
    assertThat(CsrfCheck.sameOrigin("https://example.org", null, "example.org", true)).isTrue();
    assertThat(CsrfCheck.sameOrigin("http://127.0.0.1:8081", null, "127.0.0.1:8080", false)).isFalse();
    assertThat(CsrfCheck.sameOrigin("null", null, "127.0.0.1:8080", false)).isFalse();
    assertThat(CsrfCheck.sameOrigin("http://127.0.0.1:8080", null, null, false)).isFalse();
    assertThat(CsrfCheck.sameOrigin("https://chat.example.org", "https://chat.example.org", "10.0.0.5:8080", false)).isTrue();
    assertThat(CsrfCheck.sameOrigin("http://10.0.0.5:8080", "https://chat.example.org", "10.0.0.5:8080", false)).isFalse();
    assertThat(CsrfCheck.changes(HttpMethod.POST)).isTrue();
    assertThat(CsrfCheck.changes(HttpMethod.DELETE)).isTrue();
    assertThat(CsrfCheck.changes(HttpMethod.PATCH)).isTrue();
    assertThat(CsrfCheck.changes(HttpMethod.GET)).isFalse();
    assertThat(CsrfCheck.changes(HttpMethod.HEAD)).isFalse();
    assertThat(CsrfCheck.changes(HttpMethod.OPTIONS)).isFalse();
    assertThat(CsrfCheck.bearer("Bearer parley_x")).isTrue();
    assertThat(CsrfCheck.bearer("bearer parley_x")).isTrue();
    assertThat(CsrfCheck.bearer("Basic dXNlcg==")).isFalse();
    assertThat(CsrfCheck.bearer("Bearer ")).isFalse();
    assertThat(CsrfCheck.bearer(null)).isFalse();
  }
}
