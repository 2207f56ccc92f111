package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import parley.support.LogCapture;
import parley.support.TestNode;

/** Bad input gets a clear JSON error, stores nothing, and the service keeps serving. */
@ExtendWith(VertxExtension.class)
class BadInputTest {
  @TempDir static Path dataDir;
  private static TestNode node;
  private static LogCapture logs;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    logs = new LogCapture();
    TestNode.start(vertx, dataDir).onComplete(ctx.succeeding(started -> {
      node = started;
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    logs.close();
    node.stop().onComplete(ctx.succeedingThenComplete());
  }

  static Stream<Arguments> badBodies() {
    String tooLong = "x".repeat(32_769);
    String huge = "{\"chatId\":\"a\",\"content\":\"" + "y".repeat(400_000) + "\"}";
    return Stream.of(
        Arguments.of("malformed JSON", "application/json", "{\"chatId\": \"a\", \"content\": ", 400),
        Arguments.of("a JSON array", "application/json", "[1,2]", 400),
        Arguments.of("an empty body", "application/json", "", 400),
        Arguments.of("no chatId", "application/json", "{\"content\":\"hi\"}", 400),
        Arguments.of("no content", "application/json", "{\"chatId\":\"a\"}", 400),
        Arguments.of("chatId with $", "application/json", "{\"chatId\":\"$where\",\"content\":\"hi\"}", 400),
        Arguments.of("chatId with a dot", "application/json", "{\"chatId\":\"a.b\",\"content\":\"hi\"}", 400),
        Arguments.of("chatId with a slash", "application/json", "{\"chatId\":\"a/b\",\"content\":\"hi\"}", 400),
        Arguments.of("chatId as an object", "application/json", "{\"chatId\":{\"$ne\":null},\"content\":\"hi\"}", 400),
        Arguments.of("chatId as a number", "application/json", "{\"chatId\":42,\"content\":\"hi\"}", 400),
        Arguments.of("chatId too long", "application/json", "{\"chatId\":\"" + "c".repeat(65) + "\",\"content\":\"hi\"}", 400),
        Arguments.of("empty content", "application/json", "{\"chatId\":\"a\",\"content\":\"\"}", 400),
        Arguments.of("blank content", "application/json", "{\"chatId\":\"a\",\"content\":\"  \\n \"}", 400),
        Arguments.of("content as a number", "application/json", "{\"chatId\":\"a\",\"content\":7}", 400),
        Arguments.of("content as an object", "application/json", "{\"chatId\":\"a\",\"content\":{\"$gt\":\"\"}}", 400),
        Arguments.of("content over 32768 characters", "application/json", "{\"chatId\":\"a\",\"content\":\"" + tooLong + "\"}", 400),
        Arguments.of("sender bot", "application/json", "{\"chatId\":\"a\",\"content\":\"hi\",\"sender\":\"bot\"}", 400),
        Arguments.of("sender as a number", "application/json", "{\"chatId\":\"a\",\"content\":\"hi\",\"sender\":1}", 400),
        Arguments.of("text/plain", "text/plain", "{\"chatId\":\"a\",\"content\":\"hi\"}", 415),
        Arguments.of("form content type", "application/x-www-form-urlencoded", "chatId=a&content=hi", 415),
        Arguments.of("a body over the limit", "application/json", huge, 413));
  }

  @ParameterizedTest(name = "{0} -> {3}")
  @MethodSource("badBodies")
  void badMessageIsRejectedWithJsonErrorAndNothingStored(String what, String contentType, String body, int status, VertxTestContext ctx) {
    node.web().post(node.port(), "127.0.0.1", "/api/messages").putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(body))
        .compose(response -> {
          ctx.verify(() -> assertJsonError(response, status));
          return Future.all(node.history("a"), node.web().get(node.port(), "127.0.0.1", "/api/chats").send());
        })
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertThat(after.<JsonArray>resultAt(0)).isEmpty();
          assertThat(after.<HttpResponse<Buffer>>resultAt(1).bodyAsJsonArray()).isEmpty();
          ctx.completeNow();
        })));
  }

  static Stream<Arguments> badPaths() {
    return Stream.of(
        Arguments.of(HttpMethod.GET, "/api/messages/a.b", 400),
        Arguments.of(HttpMethod.GET, "/api/messages/%24where", 400),
        Arguments.of(HttpMethod.GET, "/api/messages/a%2Fb", 400),
        Arguments.of(HttpMethod.GET, "/api/messages/" + "c".repeat(65), 400),
        Arguments.of(HttpMethod.GET, "/api/messages/ok?limit=0", 400),
        Arguments.of(HttpMethod.GET, "/api/messages/ok?limit=abc", 400),
        Arguments.of(HttpMethod.GET, "/api/messages/ok?limit=5&before=%7B%7D", 400),
        Arguments.of(HttpMethod.GET, "/api/stream/a.b", 400),
        Arguments.of(HttpMethod.POST, "/api/stream/%24x/terminate", 400),
        Arguments.of(HttpMethod.DELETE, "/api/chats/a.b", 400),
        Arguments.of(HttpMethod.GET, "/api/nothing-here", 404),
        Arguments.of(HttpMethod.PUT, "/api/messages", 405));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("badPaths")
  void badPathIsRejectedWithJsonError(HttpMethod method, String uri, int status, VertxTestContext ctx) {
    node.web().request(method, node.port(), "127.0.0.1", uri).send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertJsonError(response, status);
          ctx.completeNow();
        })));
  }

  @Test
  void badLastEventIdIsRejected(VertxTestContext ctx) {
    node.web().get(node.port(), "127.0.0.1", "/api/stream/ok").putHeader("Last-Event-ID", "banana").send()
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertJsonError(response, 400);
          ctx.completeNow();
        })));
  }

  @Test
  void serviceKeepsServingAfterBadInputAndNeverShowsTheApiKey(VertxTestContext ctx) {
    node.web().post(node.port(), "127.0.0.1", "/api/messages").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{oops"))
        .compose(bad -> node.sendOk("after-bad", "still there?"))
        .compose(ok -> node.history("after-bad"))
        .onComplete(ctx.succeeding(history -> ctx.verify(() -> {
          assertThat(history).hasSize(2);
          List<String> lines = logs.lines();
          assertThat(lines).isNotEmpty();
          assertThat(String.join("\n", lines)).doesNotContain(TestNode.API_KEY);
          ctx.completeNow();
        })));
  }

  private static void assertJsonError(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("code")).matches("[a-z_]+");
  }
}
