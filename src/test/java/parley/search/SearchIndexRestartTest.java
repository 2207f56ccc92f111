package parley.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.store.embedded.EmbeddedMongo;
import parley.support.ApiClient;
import parley.support.FakeUpstream.Script;
import parley.support.LogCapture;
import parley.support.Poll;
import parley.support.RunningNode;
import parley.support.TestNode;
import parley.support.WithAccountsNode;

/**
 * The index beside the store file across restarts: kept when it was closed cleanly with the same
 * store, rebuilt in the background (and said so) when missing or when the store is not the one it
 * was built from; chats made without accounts are found by the first admin.
 */
class SearchIndexRestartTest {
  @TempDir Path dataDir;

  private static void exchange(RunningNode running, String chatId, String content) {
    running.upstream().script(Script.tokens(List.of("fine"), 1));
    ApiClient person = running.anonymous();
    person.send(chatId, content);
    person.replyEnded(chatId);
  }

  private static JsonArray search(RunningNode running, String q) {
    return SearchTest.search(running.anonymous(), q);
  }

  /** Asks until the search's answer meets the condition (a rebuild runs in the background). */
  private static JsonArray searchUntil(RunningNode running, String q, Predicate<JsonArray> condition) {
    TestNode node = running.node();
    String uri = "/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
    return ApiClient.await(Poll.until(node.vertx(),
        () -> node.web().get(node.port(), "127.0.0.1", uri).send().map(response -> response.bodyAsJsonArray()), condition, 10_000));
  }

  /** Asks until /health says the index is ready. */
  private static void indexReady(RunningNode running) {
    TestNode node = running.node();
    ApiClient.await(Poll.until(node.vertx(), () -> node.web().get(node.port(), "127.0.0.1", "/health").send()
        .map(response -> response.bodyAsJsonObject()), health -> "ready".equals(searchState(health).getString("state")), 10_000));
  }

  private static JsonObject searchState(JsonObject health) {
    return health.getJsonArray("checks").stream().map(JsonObject.class::cast).filter(check -> check.getString("id").equals("store"))
        .findFirst().orElseThrow().getJsonObject("data").getJsonObject("search");
  }

  @Test
  void aCleanlyClosedIndexIsKept() {
    try (RunningNode first = RunningNode.start(dataDir, Map.of())) {
      exchange(first, "kept", "quokka selfies");
    }
    try (LogCapture logs = new LogCapture(); RunningNode second = RunningNode.start(dataDir, Map.of())) {
      assertThat(search(second, "quokka")).hasSize(1);
      assertThat(logs.lines()).noneMatch(line -> line.startsWith("Search index:"));
    }
  }

  @Test
  void aMissingIndexIsRebuiltFromTheStoreInTheBackground() throws IOException {
    try (RunningNode first = RunningNode.start(dataDir, Map.of())) {
      exchange(first, "rebuilt-1", "axolotl gills");
      exchange(first, "rebuilt-2", "axolotl regrowth");
      exchange(first, "rebuilt-3", "nothing to find here");
      first.anonymous().patch("/api/chats/rebuilt-3", new JsonObject().put("title", "Axolotl care"));
    }
    deleteTree(dataDir.resolve("search-index"));
    try (LogCapture logs = new LogCapture(); RunningNode second = RunningNode.start(dataDir, Map.of())) {
      JsonArray hits = searchUntil(second, "axolotl", found -> found.size() == 3);
      assertThat(hits.stream().map(hit -> ((JsonObject) hit).getString("chatId")).toList())
          .containsExactlyInAnyOrder("rebuilt-1", "rebuilt-2", "rebuilt-3");
      assertThat(logs.lines()).anyMatch(line -> line.startsWith("Search index: there is no search index yet; rebuilding it in ")
          && line.contains("from the 3 chat(s) of the store, in the background"));
      indexReady(second);
      assertThat(logs.lines()).anyMatch(line -> line.startsWith("Search index: rebuilt, 6 message(s) of 3 chat(s) in "));
      // The replies were indexed too.
      assertThat(search(second, "fine")).hasSize(3);
    }
  }

  @Test
  void anIndexOfAnotherStoreIsRebuiltAndFindsNothingOfIt() throws IOException {
    try (RunningNode first = RunningNode.start(dataDir, Map.of())) {
      exchange(first, "gone", "wombat burrows");
    }
    // The store file goes (restored from elsewhere, say) while the index stays.
    Files.delete(dataDir.resolve(EmbeddedMongo.FILE_NAME));
    try (LogCapture logs = new LogCapture(); RunningNode second = RunningNode.start(dataDir, Map.of())) {
      indexReady(second);
      assertThat(search(second, "wombat")).isEmpty();
      assertThat(logs.lines()).anyMatch(line -> line.startsWith("Search index: new, in "));
      exchange(second, "new", "wombat again");
      assertThat(search(second, "wombat")).hasSize(1);
    }
  }

  @Test
  void chatsMadeWithoutAccountsAreFoundByTheFirstAdmin() {
    try (RunningNode first = RunningNode.start(dataDir, Map.of())) {
      exchange(first, "before-accounts", "dingo tracks");
    }
    try (RunningNode second = RunningNode.start(dataDir, Map.of("PARLEY_AUTH", "local"))) {
      ApiClient root = ApiClient.signUp(second.node(), "root", WithAccountsNode.PASSWORD);
      JsonArray hits = SearchTest.search(root, "dingo");
      assertThat(hits).hasSize(1);
      assertThat(hits.getJsonObject(0).getString("chatId")).isEqualTo("before-accounts");
      root.createUser("other", WithAccountsNode.PASSWORD, "user");
      ApiClient other = ApiClient.logIn(second.node(), "other", WithAccountsNode.PASSWORD);
      assertThat(SearchTest.search(other, "dingo")).isEmpty();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
