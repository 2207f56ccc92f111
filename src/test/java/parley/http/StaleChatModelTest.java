package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.FakeUpstream;
import parley.support.FakeUpstream.Script;
import parley.support.Poll;
import parley.support.RunningNode;

/**
 * A send reads its chat only as the store writes the exchange, so the chat's own model is known
 * only then. When that model is no longer offered (its provider stopped listing it), the reply is
 * answered by the first model listed, and the reply and the chat are stored with that one.
 */
class StaleChatModelTest {
  @TempDir Path dataDir;
  private Vertx gammaVertx;
  private FakeUpstream gamma;
  private RunningNode running;
  private ApiClient api;

  @BeforeEach
  void start() throws Exception {
    gammaVertx = Vertx.vertx();
    gamma = ApiClient.await(FakeUpstream.start(gammaVertx));
    gamma.models(List.of("g-1", "g-2"));
    gamma.script(Script.echo(1));
    JsonArray providers = new JsonArray().add(new JsonObject().put("name", "gamma").put("baseUrl", gamma.baseUrl()));
    running = RunningNode.start(dataDir, Map.of("providers", providers, "PARLEY_MODELS_REFRESH_MS", 100), Map.of());
    running.upstream().script(Script.echo(1));
    api = running.anonymous();
  }

  @AfterEach
  void stop() {
    running.close();
    ApiClient.await(gammaVertx.close());
  }

  @Test
  void aChatWhoseModelIsGoneIsAnsweredByTheFirstListedAndKeepsThatOne() {
    JsonObject first = api.send(new JsonObject().put("chatId", "moved").put("content", "hi").put("model", "gamma/g-2"));
    api.replyEnded("moved");
    assertThat(first.getJsonObject("reply").getString("model")).isEqualTo("gamma/g-2");

    gamma.models(List.of("g-1"));
    ApiClient.await(Poll.until(running.node().vertx(), () -> api.requestAsync(HttpMethod.GET, "/api/models", null),
        models -> models.array().stream().map(JsonObject.class::cast).noneMatch(model -> model.getString("id").equals("gamma/g-2")),
        10_000));

    JsonObject second = api.send(new JsonObject().put("chatId", "moved").put("content", "again"));
    api.replyEnded("moved");
    String firstListed = api.get("/api/models").array().getJsonObject(0).getString("id");
    assertThat(firstListed).isEqualTo("default/gpt-4o-mini");
    assertThat(second.getJsonObject("reply").getString("model")).isEqualTo(firstListed);
    // Answered by the first listed model's provider, not by the one that stopped listing the chat's.
    assertThat(gamma.requests()).hasSize(1);
    assertThat(running.upstream().requests().get(running.upstream().requests().size() - 1).getString("model"))
        .isEqualTo("gpt-4o-mini");
    JsonArray history = api.get("/api/messages/moved").array();
    assertThat(history.getJsonObject(history.size() - 1).getString("model")).isEqualTo(firstListed);
    JsonObject chat = api.get("/api/chats").array().stream().map(JsonObject.class::cast)
        .filter(listed -> listed.getString("chatId").equals("moved")).findFirst().orElseThrow();
    assertThat(chat.getString("model")).isEqualTo(firstListed);
  }
}
