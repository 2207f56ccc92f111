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
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import parley.ParleyNode;
import parley.cluster.ClusterSetup;
import parley.cluster.Membership;
import parley.config.Settings;

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
  /** Set for a clustered node, which has a Vertx of its own. */
  private final HazelcastClusterManager cluster;
  private ParleyNode node;

  private TestNode(Vertx vertx, FakeUpstream upstream, Settings settings, HazelcastClusterManager cluster) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.settings = settings;
    this.cluster = cluster;
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    this.http = vertx.createHttpClient();
  }

  /** Test-friendly timings; {@code overrides} replace any setting. */
  public static Future<TestNode> start(Vertx vertx, Path dataDir, Map<String, Object> overrides) {
    return start(vertx, dataDir, overrides, Map.of());
  }

  /** The same, with the environment the providers' keys are read from. */
  public static Future<TestNode> start(Vertx vertx, Path dataDir, Map<String, Object> overrides, Map<String, String> env) {
    return FakeUpstream.start(vertx).compose(upstream -> {
      TestNode testNode = new TestNode(vertx, upstream, settings(upstream, dataDir, overrides, env), null);
      return testNode.startNode().map(testNode);
    });
  }

  public static Future<TestNode> start(Vertx vertx, Path dataDir) {
    return start(vertx, dataDir, Map.of());
  }

  /**
   * A node of a loopback cluster, on a clustered Vertx of its own, with the given upstream and a
   * shared MongoDB ({@code PARLEY_MONGO_URI} in the overrides).
   */
  public static Future<TestNode> startClustered(FakeUpstream upstream, Path dataDir, String clusterName, Map<String, Object> overrides) {
    Map<String, Object> clustered = new HashMap<>(overrides);
    clustered.put("PARLEY_CLUSTER", true);
    clustered.put("PARLEY_CLUSTER_NAME", clusterName);
    clustered.put("PARLEY_CLUSTER_HOST", "127.0.0.1");
    clustered.put("PARLEY_CLUSTER_MEMBERS", "127.0.0.1");
    Settings settings = settings(upstream, dataDir, clustered, Map.of());
    HazelcastClusterManager manager = ClusterSetup.clusterManager(settings);
    return Vertx.builder().with(ClusterSetup.vertxOptions(settings)).withClusterManager(manager).buildClustered()
        .compose(vertx -> {
          TestNode testNode = new TestNode(vertx, upstream, settings, manager);
          return testNode.startNode().map(testNode);
        });
  }

  private static Settings settings(FakeUpstream upstream, Path dataDir, Map<String, Object> overrides, Map<String, String> env) {
    Map<String, Object> values = new HashMap<>();
    values.put("PARLEY_HTTP_HOST", "127.0.0.1");
    values.put("PARLEY_HTTP_PORT", 0);
    values.put("PARLEY_DATA_DIR", dataDir.toString());
    values.put("PARLEY_LLM_BASE_URL", upstream.baseUrl());
    values.put("PARLEY_LLM_API_KEY", API_KEY);
    values.put("PARLEY_LLM_IDLE_TIMEOUT_MS", 2000);
    values.put("PARLEY_CHECKPOINT_MS", 50);
    // A title is one more call to the model: only the tests of titles want it.
    values.put("PARLEY_TITLE_MODEL", Settings.NO_TITLES);
    values.putAll(overrides);
    return Settings.defaultsWith(values, env);
  }

  private Future<Void> startNode() {
    Future<ParleyNode> started = cluster == null
        ? ParleyNode.start(vertx, settings)
        : ParleyNode.start(vertx, settings, Membership.of(cluster));
    return started.map(running -> {
      node = running;
      return null;
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  public String nodeId() {
    return node.nodeId();
  }

  /** Completes once no cluster data is in migration: what a settled deployment looks like. */
  public Future<Boolean> clusterSafe() {
    return Poll.until(vertx, () -> Future.succeededFuture(cluster.getHazelcastInstance().getPartitionService().isClusterSafe()),
        safe -> safe, 30_000);
  }

  /** Kills a clustered node as a crash would: its cluster membership ends at once, nothing is stopped cleanly. */
  public void crash() {
    cluster.getHazelcastInstance().getLifecycleService().terminate();
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

  /** Stops the node; a standalone node's upstream goes with it, a clustered node's Vertx too. */
  public Future<Void> stop() {
    Future<Void> stopped = node.stop().eventually(http::close).andThen(v -> web.close());
    return cluster == null ? stopped.eventually(upstream::close) : stopped.eventually(vertx::close);
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

  /** Sends "go" with the model set to answer 200 tokens 20 ms apart: a reply that streams for about 4 s. */
  public Future<JsonObject> sendLongReply(String chatId) {
    upstream.script(FakeUpstream.Script.tokens(Collections.nCopies(200, "x "), 20));
    return sendOk(chatId, "go");
  }

  public Future<JsonArray> history(String chatId) {
    return web.get(port(), "127.0.0.1", "/api/messages/" + chatId).send().map(HttpResponse::bodyAsJsonArray);
  }

  public Future<SseCapture> stream(String chatId, Long lastEventId) {
    return SseCapture.open(http, port(), chatId, lastEventId);
  }

  /** The events of the chat's latest reply, once its end has come (what a client waits for before sending again). */
  public Future<java.util.List<SseCapture.Event>> replyEnded(String chatId) {
    return stream(chatId, null).compose(SseCapture::done);
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
