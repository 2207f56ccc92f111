package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.chat.Titles;
import parley.support.ApiClient;
import parley.support.FakeUpstream.Script;
import parley.support.LogCapture;
import parley.support.Poll;
import parley.support.RunningNode;

/**
 * After a chat's first reply completes, a model names it (here the chat's own, as by default):
 * short, one line, no quotes; never a chat the person renamed; a failure leaves the title.
 */
class AutomaticTitlesTest {
  @TempDir Path dataDir;
  private RunningNode running;
  private ApiClient api;
  private LogCapture logs;

  @BeforeEach
  void start() {
    logs = new LogCapture();
    running = RunningNode.start(dataDir, Map.of("PARLEY_TITLE_MODEL", ""));
    running.upstream().script(Script.echo(1));
    running.upstream().titleAnswer("\"Title: A chat with the fake model.\"\nThanks for asking!");
    api = running.anonymous();
  }

  @AfterEach
  void stop() {
    try {
      running.close();
    } finally {
      logs.close();
    }
  }

  private void exchange(String chatId, String content) {
    api.send(chatId, content);
    api.replyEnded(chatId);
  }

  private String title(String chatId) {
    return ApiClient.await(titleAsync(chatId));
  }

  /** Without blocking: the polls run on the node's event loop. */
  private Future<String> titleAsync(String chatId) {
    return api.requestAsync(HttpMethod.GET, "/api/chats", null).map(answer -> answer.array().stream().map(JsonObject.class::cast)
        .filter(chat -> chat.getString("chatId").equals(chatId)).findFirst().orElseThrow().getString("title"));
  }

  private String awaitTitle(String chatId, String expected) {
    return ApiClient.await(Poll.until(running.node().vertx(), () -> titleAsync(chatId), expected::equals, 10_000));
  }

  private void awaitTitleRequests(int count) {
    ApiClient.await(Poll.until(running.node().vertx(),
        () -> Future.succeededFuture(running.upstream().titleRequests().size()), n -> n >= count, 10_000));
  }

  @Test
  void theFirstCompletedReplyGivesTheChatAShortTitleOnce() {
    exchange("named", "How do lighthouses work at night?");
    // The model answered "\"Title: A chat with the fake model.\"" and a second line.
    awaitTitle("named", "A chat with the fake model");
    JsonObject asked = running.upstream().titleRequests().get(0);
    assertThat(asked.getString("model")).isEqualTo("gpt-4o-mini");
    assertThat(asked.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo(Titles.INSTRUCTION);
    assertThat(asked.getJsonArray("messages").getJsonObject(1).getString("content"))
        .contains("How do lighthouses work at night?").contains("You said: How do lighthouses work at night?");

    // Later replies ask no more: the next title request is the next chat's.
    exchange("named", "And by day?");
    exchange("second", "Another chat");
    awaitTitle("second", "A chat with the fake model");
    assertThat(running.upstream().titleRequests()).hasSize(2);
    assertThat(running.upstream().titleRequests().get(1).getJsonArray("messages").getJsonObject(1).getString("content"))
        .contains("Another chat");
  }

  @Test
  void aRenamedChatIsNotRenamedByTheModel() {
    assertThat(api.patch("/api/chats/mine", new JsonObject().put("title", "My own name")).status()).isEqualTo(200);
    exchange("mine", "Hello there");
    exchange("other", "Name me");
    awaitTitle("other", "A chat with the fake model");
    assertThat(running.upstream().titleRequests()).hasSize(1);
    assertThat(title("mine")).isEqualTo("My own name");

    // Renamed after its title came: the person's name stays.
    assertThat(api.patch("/api/chats/other", new JsonObject().put("title", "Renamed")).status()).isEqualTo(200);
    exchange("other", "more");
    assertThat(title("other")).isEqualTo("Renamed");
  }

  @Test
  void aFailedTitleLeavesTheOldOneIsLoggedAndIsNoError() {
    running.upstream().titleAnswer("  \n \"\" ");
    exchange("untitled", "Tell me about tides");
    awaitTitleRequests(1);
    ApiClient.await(Poll.until(running.node().vertx(),
        () -> Future.succeededFuture(logs.lines().stream().anyMatch(line -> line.contains("Could not name chat untitled"))),
        logged -> logged, 10_000));
    assertThat(title("untitled")).isEqualTo("Tell me about tides");
    assertThat(api.history("untitled").getJsonObject(1).getString("status")).isEqualTo("complete");

    // It may be named by a later reply.
    running.upstream().titleAnswer("Tides explained");
    exchange("untitled", "More please");
    awaitTitle("untitled", "Tides explained");
  }
}
