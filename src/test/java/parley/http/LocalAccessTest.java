package parley.http;

import static org.assertj.core.api.Assertions.assertThat;
import parley.config.Loopback;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import parley.config.Settings;
import parley.support.LogCapture;
import parley.support.WithNodeSettings;

/**
 * In PARLEY_AUTH=none, a request that names Parley by another name than a loopback one (or the
 * host of PARLEY_PUBLIC_URL) is refused: a page of another site that rebound its name to 127.0.0.1
 * gets nothing.
 */
class LocalAccessTest extends WithNodeSettings {
  private Future<RawHttp.Answer> get(Vertx vertx, String uri, String... headers) {
    return RawHttp.exchange(vertx, node.port(), RawHttp.request("GET", uri, headers));
  }

  @Test
  void loopbackNamesAreAnsweredWhateverThePort(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> Future.all(List.of(
            get(vertx, "/api/chats", "Host: 127.0.0.1:" + node.port()),
            get(vertx, "/api/chats", "Host: localhost:" + node.port()),
            get(vertx, "/api/chats", "Host: LocalHost"),
            get(vertx, "/api/chats", "Host: 127.1.2.3:80"),
            get(vertx, "/api/chats", "Host: [::1]:" + node.port()),
            get(vertx, "/health", "Host: [::1]"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<RawHttp.Answer>list()).extracting(RawHttp.Answer::status).containsOnly(200);
          ctx.completeNow();
        })));
  }

  @Test
  void otherNamesGet403Forbidden(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of())
        .compose(n -> Future.all(List.of(
            get(vertx, "/api/chats", "Host: rebound.example:" + node.port()),
            get(vertx, "/api/chats", "Host: 127.evil.example"),
            get(vertx, "/api/chats", "Host: 127.0.0.1.evil.example:" + node.port()),
            get(vertx, "/api/chats", "Host: localhost.evil.example"),
            get(vertx, "/", "Host: rebound.example"),
            get(vertx, "/health", "Host: rebound.example"),
            RawHttp.exchange(vertx, node.port(), "POST /api/messages HTTP/1.1\r\nHost: rebound.example\r\n"
                + "Content-Type: application/json\r\nContent-Length: 33\r\nConnection: close\r\n\r\n{\"chatId\":\"x\",\"content\":\"stolen\"}"),
            RawHttp.exchange(vertx, node.port(), "GET /api/chats HTTP/1.0\r\n\r\n"))))
        .compose(all -> node.history("x").map(history -> {
          ctx.verify(() -> {
            for (RawHttp.Answer answer : all.<RawHttp.Answer>list()) {
              assertThat(answer.status()).as(answer.head()).isEqualTo(403);
              assertThat(answer.header("Content-Type")).startsWith("application/json");
              assertThat(answer.errorCode()).isEqualTo("forbidden");
            }
            assertThat(history).as("a refused send stores nothing").isEmpty();
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theHostOfThePublicUrlIsAnsweredToo(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_PUBLIC_URL", "https://Chat.Example.org"))
        .compose(n -> Future.all(List.of(
            get(vertx, "/api/chats", "Host: chat.example.org"),
            get(vertx, "/api/chats", "Host: chat.example.org:443"),
            get(vertx, "/api/chats", "Host: 127.0.0.1:" + node.port()),
            get(vertx, "/api/chats", "Host: other.example.org"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<RawHttp.Answer>list()).extracting(RawHttp.Answer::status).containsExactly(200, 200, 200, 403);
          ctx.completeNow();
        })));
  }

  @Test
  void modesWithAccountsDoNotCheckTheHost(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of("PARLEY_AUTH", "local"))
        .compose(n -> get(vertx, "/health", "Host: chat.example.org"))
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertThat(answer.status()).isEqualTo(200);
          ctx.completeNow();
        })));
  }

  @Test
  void noneModeOnAnAddressOtherMachinesReachWarnsAtEveryStart(Vertx vertx) {
    Settings open = Settings.defaultsWith(Map.of("PARLEY_HTTP_HOST", "0.0.0.0", "PARLEY_AUTH", "none"));
    Settings local = Settings.defaultsWith(Map.of("PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_AUTH", "none"));
    try (LogCapture logs = new LogCapture()) {
      LocalAccess.mount(Router.router(vertx), open);
      LocalAccess.mount(Router.router(vertx), open);
      LocalAccess.mount(Router.router(vertx), local);
      assertThat(logs.lines()).filteredOn(line -> line.contains("PARLEY_AUTH=none")).hasSize(2)
          .allSatisfy(line -> assertThat(line).isEqualTo(open.openAccessWarning().orElseThrow()));
    }
  }

  @Test
  void hostsAreReadStrictly() {
    assertThat(LocalAccess.allowedHost("localhost", null)).isTrue();
    assertThat(LocalAccess.allowedHost("127.0.0.1", null)).isTrue();
    assertThat(LocalAccess.allowedHost("127.255.0.9", null)).isTrue();
    assertThat(LocalAccess.allowedHost("[::1]", null)).isTrue();
    assertThat(LocalAccess.allowedHost("[0:0:0:0:0:0:0:1]", null)).isTrue();
    assertThat(LocalAccess.allowedHost("chat.example.org", "chat.example.org")).isTrue();
    assertThat(LocalAccess.allowedHost("CHAT.example.org", "chat.example.org")).isTrue();
    assertThat(LocalAccess.allowedHost("127.evil.example", null)).isFalse();
    assertThat(LocalAccess.allowedHost("127.0.0.256", null)).isFalse();
    assertThat(LocalAccess.allowedHost("127.0.0", null)).isFalse();
    assertThat(LocalAccess.allowedHost("128.0.0.1", null)).isFalse();
    assertThat(LocalAccess.allowedHost("0.0.0.0", null)).isFalse();
    assertThat(LocalAccess.allowedHost("[::2]", null)).isFalse();
    assertThat(LocalAccess.allowedHost("[::]", null)).isFalse();
    assertThat(LocalAccess.allowedHost("localhost.evil.example", null)).isFalse();
    assertThat(LocalAccess.allowedHost("evil.example", "chat.example.org")).isFalse();
    assertThat(LocalAccess.allowedHost("", null)).isFalse();
    assertThat(LocalAccess.allowedHost(null, "chat.example.org")).isFalse();
  }

  @Test
  void loopbackAddressesInEverySpelling() {
    assertThat(Loopback.isAddress("127.0.0.1")).isTrue();
    assertThat(Loopback.isAddress("127.8.9.10")).isTrue();
    assertThat(Loopback.isAddress("::1")).isTrue();
    assertThat(Loopback.isAddress("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(Loopback.isAddress("[::1]")).isTrue();
    assertThat(Loopback.isAddress("::ffff:127.0.0.1")).isTrue();
    assertThat(Loopback.isAddress("10.0.0.1")).isFalse();
    assertThat(Loopback.isAddress("192.168.1.20")).isFalse();
    assertThat(Loopback.isAddress("::ffff:10.0.0.1")).isFalse();
    assertThat(Loopback.isAddress("2001:db8::1")).isFalse();
    assertThat(Loopback.isAddress("fe80::1")).isFalse();
    assertThat(Loopback.isAddress("::")).isFalse();
    assertThat(Loopback.isAddress(":::1")).isFalse();
    assertThat(Loopback.isAddress("localhost")).as("a name, not an address").isFalse();
    assertThat(Loopback.isAddress(null)).isFalse();
  }

  @Test
  void originsAreComparedAsBrowsersWriteThem() {
    assertThat(Hosts.origin("https://Chat.Example.org")).isEqualTo("https://chat.example.org");
    assertThat(Hosts.origin("https://chat.example.org:443")).isEqualTo("https://chat.example.org");
    assertThat(Hosts.origin("http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
    assertThat(Hosts.origin("http://[::1]:80")).isEqualTo("http://[::1]");
    assertThat(Hosts.origin("null")).isNull();
    assertThat(Hosts.origin("file://")).isNull();
    assertThat(Hosts.origin("https://chat.example.org/path")).isNull();
    assertThat(Hosts.origin("")).isNull();
    assertThat(Hosts.origin("http", "LOCALHOST:8080")).isEqualTo("http://localhost:8080");
    assertThat(Hosts.hostOfUrl("https://Chat.Example.org:8443")).isEqualTo("chat.example.org");
    assertThat(Hosts.hostOfUrl("")).isNull();
  }
}
