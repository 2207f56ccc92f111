package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream;
import parley.support.FakeUpstream.Script;
import parley.support.LogCapture;
import parley.support.Poll;
import parley.support.RunningNode;

/**
 * Several providers at once (the PARLEY_LLM_* one, {@code gamma} that lists its own models and takes
 * its key from the environment variable its config names, and {@code beta}, which is down), the
 * model each reply uses, and a chat's settings: checked whole, kept, and sent upstream.
 */
class ModelsAndSettingsTest {
  private static final String GAMMA_KEY = "sk-gamma-5d1e-never-show-me";

  @TempDir Path dataDir;
  private Vertx gammaVertx;
  private FakeUpstream gamma;
  private RunningNode running;
  private ApiClient api;
  private LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture();
    gammaVertx = Vertx.vertx();
    gamma = ApiClient.await(FakeUpstream.start(gammaVertx));
    gamma.models(List.of("g-1", "g-2"));
    gamma.script(Script.echo(1));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    JsonArray providers = new JsonArray()
        .add(new JsonObject().put("name", "gamma").put("baseUrl", gamma.baseUrl()).put("apiKeyEnv", "GAMMA_KEY"))
        .add(new JsonObject().put("name", "beta").put("baseUrl", "http://127.0.0.1:" + closedPort + "/v1"));
    running = RunningNode.start(dataDir, Map.of("providers", providers), Map.of("GAMMA_KEY", GAMMA_KEY));
    running.upstream().script(Script.echo(1));
    api = running.anonymous();
  }

  @AfterEach
  void stop() {
    try {
      running.close();
      ApiClient.await(gammaVertx.close());
    } finally {
      logs.close();
    }
  }

  private JsonObject exchange(JsonObject body) {
    JsonObject sent = api.send(body);
    api.replyEnded(body.getString("chatId"));
    return sent;
  }

  private JsonObject chat(String chatId, boolean withArchived) {
    return api.get("/api/chats" + (withArchived ? "?archived=true" : "")).array().stream().map(JsonObject.class::cast)
        .filter(chat -> chat.getString("chatId").equals(chatId)).findFirst().orElse(null);
  }

  private static JsonObject lastRequest(FakeUpstream upstream) {
    return upstream.requests().get(upstream.requests().size() - 1);
  }

  @Test
  void modelsOfEveryProviderAreListedAndOneThatIsDownShowsAsUnavailable() {
    Answer models = api.get("/api/models");
    assertThat(models.status()).isEqualTo(200);
    assertThat(models.array()).containsExactly(
        new JsonObject().put("id", "default/gpt-4o-mini").put("provider", "default").put("name", "gpt-4o-mini").put("available", true),
        new JsonObject().put("id", "gamma/g-1").put("provider", "gamma").put("name", "g-1").put("available", true),
        new JsonObject().put("id", "gamma/g-2").put("provider", "gamma").put("name", "g-2").put("available", true),
        new JsonObject().put("id", "beta/").put("provider", "beta").put("name", "").put("available", false));
    assertThat(gamma.authorizations()).isEmpty();
    assertThat(models.body().toString()).doesNotContain(GAMMA_KEY);
  }

  @Test
  void aReplyUsesTheModelAskedForThenTheChatsThenTheFirstConfigured() {
    JsonObject first = exchange(new JsonObject().put("chatId", "picked").put("content", "hi").put("model", "gamma/g-2"));
    assertThat(first.getJsonObject("reply").getString("model")).isEqualTo("gamma/g-2");
    assertThat(lastRequest(gamma).getString("model")).isEqualTo("g-2");
    assertThat(gamma.authorizations()).containsExactly("Bearer " + GAMMA_KEY);
    assertThat(chat("picked", false).getString("model")).isEqualTo("gamma/g-2");

    JsonObject second = exchange(new JsonObject().put("chatId", "picked").put("content", "again"));
    assertThat(second.getJsonObject("reply").getString("model")).isEqualTo("gamma/g-2");
    assertThat(gamma.requests()).hasSize(2);

    JsonObject fresh = exchange(new JsonObject().put("chatId", "fresh").put("content", "hello"));
    assertThat(fresh.getJsonObject("reply").getString("model")).isEqualTo("default/gpt-4o-mini");
    assertThat(lastRequest(running.upstream()).getString("model")).isEqualTo("gpt-4o-mini");

    // A regenerated reply may use another model; the chat's own stays.
    JsonObject redone = api.regenerate(second.getJsonObject("reply").getString("id"), new JsonObject().put("model", "default/gpt-4o-mini"));
    assertThat(redone.getJsonObject("reply").getString("model")).isEqualTo("default/gpt-4o-mini");
    api.replyEnded("picked");
    assertThat(chat("picked", false).getString("model")).isEqualTo("gamma/g-2");

    Answer down = api.post("/api/messages", new JsonObject().put("chatId", "picked").put("content", "x").put("model", "beta/x"));
    assertThat(down.status()).isEqualTo(400);
    assertThat(logs.lines()).noneMatch(line -> line.contains(GAMMA_KEY) || line.contains(parley.support.TestNode.API_KEY));
  }

  @Test
  void twoChatsOnTwoProvidersStreamAtOnce() {
    Promise<Void> release = Promise.promise();
    running.upstream().script(Script.tokens(List.of("left"), 1).heldUntil(release.future()));
    gamma.script(Script.tokens(List.of("right"), 1).heldUntil(release.future()));
    api.send(new JsonObject().put("chatId", "left").put("content", "a"));
    api.send(new JsonObject().put("chatId", "right").put("content", "b").put("model", "gamma/g-1"));
    // Both upstreams hold a reply open at the same moment.
    ApiClient.await(Poll.until(running.node().vertx(),
        () -> io.vertx.core.Future.succeededFuture(running.upstream().requests().size() + gamma.requests().size()), n -> n == 2, 10_000));
    assertThat(api.history("left").getJsonObject(1).getString("status")).isEqualTo("streaming");
    assertThat(api.history("right").getJsonObject(1).getString("status")).isEqualTo("streaming");
    release.complete();
    assertThat(api.replyEnded("left").get(0).data()).isEqualTo("left");
    assertThat(api.replyEnded("right").get(0).data()).isEqualTo("right");
  }

  @Test
  void badSettingsAreRefusedAndChangeNothing() {
    exchange(new JsonObject().put("chatId", "settled").put("content", "hello"));
    JsonObject before = chat("settled", false);
    List<JsonObject> bad = List.of(
        new JsonObject().put("title", 5),
        new JsonObject().put("title", "  "),
        new JsonObject().put("title", "x".repeat(201)),
        new JsonObject().put("systemPrompt", 3),
        new JsonObject().put("systemPrompt", "x".repeat(32_769)),
        new JsonObject().put("temperature", 2.5),
        new JsonObject().put("temperature", -0.1),
        new JsonObject().put("temperature", "hot"),
        new JsonObject().put("model", "nobody/none"),
        new JsonObject().put("model", 7),
        new JsonObject().put("pinned", "yes"),
        new JsonObject().put("archived", 1),
        new JsonObject().put("colour", "red"),
        new JsonObject().put("title", "fine").put("temperature", 9));
    for (JsonObject body : bad) {
      Answer refused = api.patch("/api/chats/settled", body);
      assertThat(refused.status()).as(body.encode()).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("bad_request");
    }
    assertThat(api.request(HttpMethod.PATCH, "/api/chats/settled", io.vertx.core.buffer.Buffer.buffer("{nope"),
        "Content-Type", "application/json").status()).isEqualTo(400);
    assertThat(chat("settled", false)).isEqualTo(before);
  }

  @Test
  void settingsAreKeptAndSentUpstream() {
    Answer patched = api.patch("/api/chats/tuned", new JsonObject()
        .put("systemPrompt", "Answer in French.").put("temperature", 0.2).put("model", "gamma/g-1"));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().getString("systemPrompt")).isEqualTo("Answer in French.");
    assertThat(patched.json().getDouble("temperature")).isEqualTo(0.2);
    // Set up before its first message: not listed until it has one.
    assertThat(api.chatIds()).doesNotContain("tuned");

    exchange(new JsonObject().put("chatId", "tuned").put("content", "bonjour"));
    JsonObject sent = lastRequest(gamma);
    assertThat(sent.getString("model")).isEqualTo("g-1");
    assertThat(sent.getDouble("temperature")).isEqualTo(0.2);
    assertThat(sent.getJsonArray("messages")).containsExactly(
        new JsonObject().put("role", "system").put("content", "Answer in French."),
        new JsonObject().put("role", "user").put("content", "bonjour"));
    JsonObject listed = chat("tuned", false);
    assertThat(listed.getString("title")).isEqualTo("bonjour");
    assertThat(listed.getString("model")).isEqualTo("gamma/g-1");

    assertThat(api.patch("/api/chats/tuned", new JsonObject().putNull("systemPrompt").putNull("temperature")).status()).isEqualTo(200);
    exchange(new JsonObject().put("chatId", "tuned").put("content", "encore"));
    assertThat(lastRequest(gamma).containsKey("temperature")).isFalse();
    assertThat(lastRequest(gamma).getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("user");
  }

  @Test
  void pinnedChatsComeFirstAndArchivedOnesOnlyWhenAskedFor() {
    for (String chatId : List.of("oldest", "middle", "newest")) {
      exchange(new JsonObject().put("chatId", chatId).put("content", chatId));
    }
    assertThat(api.chatIds()).containsExactly("newest", "middle", "oldest");
    assertThat(api.patch("/api/chats/oldest", new JsonObject().put("pinned", true)).json().getBoolean("pinned")).isTrue();
    assertThat(api.patch("/api/chats/middle", new JsonObject().put("archived", true)).status()).isEqualTo(200);
    assertThat(api.chatIds()).containsExactly("oldest", "newest");
    assertThat(api.get("/api/chats?archived=true").array().stream().map(c -> ((JsonObject) c).getString("chatId")))
        .containsExactly("oldest", "newest", "middle");
    assertThat(chat("middle", true).getBoolean("archived")).isTrue();
    JsonObject renamed = api.patch("/api/chats/newest", new JsonObject().put("title", "  My   newest chat ")).json();
    assertThat(renamed.getString("title")).isEqualTo("My newest chat");
    assertThat(renamed.getBoolean("pinned")).isFalse();
  }

  @Test
  void busyReplyStillTakesSettings() {
    running.upstream().script(Script.tokens(Collections.nCopies(100, "z "), 10));
    api.send(new JsonObject().put("chatId", "busy").put("content", "go"));
    assertThat(api.patch("/api/chats/busy", new JsonObject().put("pinned", true)).status()).isEqualTo(200);
    api.replyEnded("busy");
    assertThat(chat("busy", false).getBoolean("pinned")).isTrue();
  }
}
