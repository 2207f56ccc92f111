package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.SseCapture;
import parley.support.WithNodeSettings;

/** Every answer carries the security headers: pages a strict CSP, JSON no-store, HSTS only for https. */
class SecurityHeadersTest extends WithNodeSettings {
  private Future<HttpResponse<Buffer>> request(HttpMethod method, String uri) {
    return node.web().request(method, node.port(), "127.0.0.1", uri).send();
  }

  @Test
  void jsonAnswersAndErrorsAreNeverStored(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> Future.all(List.of(
            request(HttpMethod.GET, "/api/chats"),
            request(HttpMethod.GET, "/api/nothing-here"),
            request(HttpMethod.PUT, "/api/messages"),
            request(HttpMethod.GET, "/api/messages/a.b"),
            request(HttpMethod.GET, "/health"),
            request(HttpMethod.GET, "/no-such-page"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<HttpResponse<Buffer>> answers = all.list();
          assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 404, 405, 400, 200, 404);
          for (HttpResponse<Buffer> answer : answers) {
            assertThat(answer.getHeader("Content-Type")).startsWith("application/json");
            assertThat(answer.getHeader("Cache-Control")).as(answer.bodyAsString()).isEqualTo("no-store");
            assertEveryAnswerHeaders(answer.headers());
            assertThat(answer.getHeader("Strict-Transport-Security")).isNull();
          }
          ctx.completeNow();
        })));
  }

  @Test
  void pagesCarryAStrictContentSecurityPolicy(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> request(HttpMethod.GET, "/page-probe.html"))
        .onComplete(ctx.succeeding(page -> ctx.verify(() -> {
          assertThat(page.statusCode()).isEqualTo(200);
          assertThat(page.getHeader("Content-Type")).startsWith("text/html");
          assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
          assertEveryAnswerHeaders(page.headers());
          List<String> csp = Arrays.stream(page.getHeader("Content-Security-Policy").split(";")).map(String::trim).toList();
          assertThat(csp).contains(
              "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
              "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'");
          assertThat(page.getHeader("Content-Security-Policy")).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
          assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
          ctx.completeNow();
        })));
  }

  @Test
  void eventStreamsKeepNoCache(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> {
          node.upstream().script(Script.tokens(List.of("a", "b"), 5));
          return node.sendOk("headers", "hi");
        })
        .compose(ex -> node.stream("headers", null))
        .compose(sse -> sse.done().map(sse))
        .onComplete(ctx.succeeding(sse -> ctx.verify(() -> {
          assertThat(sse.status()).isEqualTo(200);
          assertThat(sse.headers().get("Cache-Control")).isEqualTo("no-cache");
          assertEveryAnswerHeaders(sse.headers());
          ctx.completeNow();
        })));
  }

  @Test
  void strictTransportSecurityOnlyWhenPeopleComeOverHttps(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_PUBLIC_URL", "https://chat.example.org"))
        .compose(n -> Future.all(request(HttpMethod.GET, "/api/chats"), request(HttpMethod.GET, "/page-probe.html")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (HttpResponse<Buffer> answer : all.<HttpResponse<Buffer>>list()) {
            assertThat(answer.getHeader("Strict-Transport-Security")).startsWith("max-age=");
          }
          ctx.completeNow();
        })));
  }

  @Test
  void jsonIsRecognisedByItsMediaType() {
    assertThat(SecurityHeaders.isJson("application/json")).isTrue();
    assertThat(SecurityHeaders.isJson("application/json; charset=utf-8")).isTrue();
    assertThat(SecurityHeaders.isJson("Application/JSON;charset=UTF-8")).isTrue();
    assertThat(SecurityHeaders.isJson("application/problem+json")).isTrue();
    assertThat(SecurityHeaders.isJson("text/event-stream; charset=utf-8")).isFalse();
    assertThat(SecurityHeaders.isJson("text/html")).isFalse();
    assertThat(SecurityHeaders.isJson(null)).isFalse();
  }

  private static void assertEveryAnswerHeaders(MultiMap headers) {
    assertThat(headers.get("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(headers.get("Referrer-Policy")).isEqualTo("no-referrer");
  }
}
