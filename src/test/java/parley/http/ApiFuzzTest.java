package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import parley.support.FakeUpstream.Script;
import parley.support.TestNode;

/**
 * Random JSON bodies and random path segments thrown at the API: never a 5xx, always a JSON error
 * when refused, and never a stored message from a refused request.
 */
class ApiFuzzTest {
  private static final Set<Integer> REFUSALS = Set.of(400, 404, 405, 409, 413, 415);
  private static Vertx vertx;
  private static TestNode node;

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    node = TestNode.start(vertx, Files.createTempDirectory("parley-fuzz")).await(30, TimeUnit.SECONDS);
    node.upstream().script(Script.tokens(List.of("ok"), 1));
  }

  @AfterContainer
  static void stop() throws Exception {
    node.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Property(tries = 300)
  void randomBodiesAreAnsweredWithoutServerErrorsAndRefusalsStoreNothing(@ForAll("bodies") String body) throws Exception {
    String chatId = chatIdIn(body);
    int before = chatId == null ? 0 : messages(chatId).size();
    HttpResponse<Buffer> response = node.web().post(node.port(), "127.0.0.1", "/api/messages")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(body).isLessThan(500);
    if (response.statusCode() == 201) {
      return;
    }
    assertThat(response.statusCode()).as(body).isIn(REFUSALS);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message")).isNotBlank();
    if (chatId != null) {
      assertThat(messages(chatId)).as("nothing stored for %s", body).hasSize(before);
    }
  }

  @Property(tries = 300)
  void randomPathSegmentsAreAnsweredWithoutServerErrors(@ForAll("segments") String segment, @ForAll("routes") String route) throws Exception {
    String encoded = java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
    String uri = route.substring(route.indexOf(' ') + 1).replace("{}", encoded);
    HttpResponse<Buffer> response = node.web().request(method, node.port(), "127.0.0.1", uri).send().await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(method + " " + uri).isLessThan(500);
    if (response.statusCode() >= 400) {
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message")).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> routes() {
    return Arbitraries.of("GET /api/messages/{}", "GET /api/messages/ok?limit={}", "GET /api/messages/ok?limit=5&before={}",
        "GET /api/stream/{}", "POST /api/stream/{}/terminate", "DELETE /api/chats/{}");
  }

  @Provide
  Arbitrary<String> segments() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMinLength(1).ofMaxLength(80),
        Arbitraries.of("$where", "..", "a.b", "{\"$ne\":null}", "%00", "-1", "0", "99999999999", "x".repeat(65), "valid_chat-1"));
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30).map(Object.class::cast),
        Arbitraries.of("fuzz-chat", "user", "bot", "$where", "a.b", "", "  ").map(Object.class::cast),
        Arbitraries.integers().map(Object.class::cast),
        Arbitraries.doubles().map(Object.class::cast),
        Arbitraries.of(true, false).map(Object.class::cast),
        Arbitraries.just(null));
    Arbitrary<Object> value = Arbitraries.oneOf(scalar,
        scalar.list().ofMaxSize(3).map(list -> (Object) new JsonArray(new java.util.ArrayList<>(list))),
        Combinators.combine(Arbitraries.of("$gt", "$ne", "x"), scalar).as((k, v) -> (Object) new JsonObject().put(k, v)));
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("chatId", "content", "sender"), Arbitraries.strings().ofMaxLength(10));
    Arbitrary<String> objects = Combinators.combine(key, value).as(java.util.AbstractMap.SimpleEntry::new).list().ofMaxSize(4).map(entries -> {
      JsonObject object = new JsonObject();
      entries.forEach(entry -> object.put(entry.getKey(), entry.getValue()));
      return object.encode();
    });
    Arbitrary<String> garbage = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(60), Arbitraries.of("[]", "null", "1", "\"x\"", "{", "{\"chatId\":"));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, objects), net.jqwik.api.Tuple.of(2, garbage));
  }

  /** The chat a body names, if it names one that could exist. */
  private static String chatIdIn(String body) {
    try {
      Object chatId = new JsonObject(body).getValue("chatId");
      return chatId instanceof String text && text.matches("^[A-Za-z0-9_-]{1,64}$") ? text : null;
    } catch (RuntimeException notAnObject) {
      return null;
    }
  }

  private static JsonArray messages(String chatId) throws Exception {
    return node.history(chatId).await(10, TimeUnit.SECONDS);
  }
}
