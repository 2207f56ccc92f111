package parley.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import parley.ParleyNode;
import parley.Settings;

/**
 * A real Parley node for a test: real HTTP server on a free loopback port, the real embedded store
 * in the test's directory, and the in-test upstream as its model.
 */
public final class TestNode {
  public static final String API_KEY = "sk-test-3f9c2a7b-never-show-me";

  private final Vertx vertx;
  private final FakeUpstream upstream;
  private final Settings settings;
  private final WebClient web;
  private final HttpClient http;
  private ParleyNode node;

  private TestNode(Vertx vertx, FakeUpstream upstream, Settings settings) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.settings = settings;
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    this.http = vertx.createHttpClient();
  }

  /** Test-friendly timings; {@code overrides} replace any setting. */
  public static Future<TestNode> start(Vertx vertx, Path dataDir, Map<String, Object> overrides) {
    return FakeUpstream.start(vertx).compose(upstream -> {
      Map<String, Object> values = new HashMap<>();
      values.put("PARLEY_HTTP_HOST", "127.0.0.1");
      values.put("PARLEY_HTTP_PORT", 0);
      values.put("PARLEY_DATA_DIR", dataDir.toString());
      values.put("PARLEY_LLM_BASE_URL", upstream.baseUrl());
      values.put("PARLEY_LLM_API_KEY", API_KEY);
      values.put("PARLEY_LLM_IDLE_TIMEOUT_MS", 2000);
      values.put("PARLEY_CHECKPOINT_MS", 50);
      values.putAll(overrides);
      TestNode testNode = new TestNode(vertx, upstream, Settings.defaultsWith(values));
      return testNode.startNode().map(testNode);
    });
  }

  public static Future<TestNode> start(Vertx vertx, Path dataDir) {
    return start(vertx, dataDir, Map.of());
  }

  private Future<Void> startNode() {
    return ParleyNode.start(vertx, settings).map(started -> {
      node = started;
      return null;
    });
  }

  public FakeUpstream upstream() {
    return upstream;
  }

  public Settings settings() {
    return settings;
  }

  public int port() {
    return node.httpPort();
  }

  public WebClient web() {
    return web;
  }

  public Future<Void> restart() {
    return node.stop().compose(v -> startNode());
  }

  public Future<Void> stop() {
    return node.stop().eventually(upstream::close).eventually(http::close).onComplete(v -> web.close());
  }

  public Future<HttpResponse<Buffer>> send(String chatId, String content) {
    return web.post(port(), "127.0.0.1", "/api/messages")
        .sendJsonObject(new JsonObject().put("chatId", chatId).put("content", content));
  }

  /** Sends and expects 201: answers {message, reply}. */
  public Future<JsonObject> sendOk(String chatId, String content) {
    return send(chatId, content).map(response -> {
      if (response.statusCode() != 201) {
        throw new AssertionError("expected 201, got " + response.statusCode() + ": " + response.bodyAsString());
      }
      return response.bodyAsJsonObject();
    });
  }

  public Future<JsonArray> history(String chatId) {
    return web.get(port(), "127.0.0.1", "/api/messages/" + chatId).send().map(HttpResponse::bodyAsJsonArray);
  }

  public Future<SseCapture> stream(String chatId, Long lastEventId) {
    return SseCapture.open(http, port(), chatId, lastEventId);
  }

  public Future<HttpResponse<Buffer>> terminate(String chatId) {
    return web.post(port(), "127.0.0.1", "/api/stream/" + chatId + "/terminate").send();
  }

  /** The stored message with this id, once it satisfies the condition (polled; fails after 10 s). */
  public Future<JsonObject> storedMessage(String chatId, String messageId, Predicate<JsonObject> condition) {
    Promise<JsonObject> found = Promise.promise();
    long deadline = System.currentTimeMillis() + 10_000;
    poll(chatId, messageId, condition, deadline, found);
    return found.future();
  }

  private void poll(String chatId, String messageId, Predicate<JsonObject> condition, long deadline, Promise<JsonObject> found) {
    history(chatId).onComplete(result -> {
      JsonObject message = result.succeeded()
          ? result.result().stream().map(JsonObject.class::cast).filter(m -> m.getString("id").equals(messageId)).findFirst().orElse(null)
          : null;
      if (message != null && condition.test(message)) {
        found.complete(message);
      } else if (System.currentTimeMillis() > deadline) {
        found.fail(new AssertionError("message " + messageId + " never met the condition; last seen: " + message));
      } else {
        vertx.setTimer(20, id -> poll(chatId, messageId, condition, deadline, found));
      }
    });
  }
}
