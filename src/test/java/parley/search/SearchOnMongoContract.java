package parley.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import parley.support.ApiClient;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;
import parley.support.WithAccountsNode;

/**
 * What search does on an external MongoDB-wire store, whichever way the store searches (a real
 * MongoDB's text index, or the scan where the server has none): the same behaviour through HTTP
 * as on the embedded store, for two people at once.
 */
abstract class SearchOnMongoContract {
  protected static RunningNode shared;
  protected static ApiClient alice;
  protected static ApiClient bob;

  /** Starts the shared node on the store at {@code mongoUri}, with accounts, and signs two people up. */
  protected static void startOn(Path dataDir, String mongoUri) {
    Map<String, Object> settings = new HashMap<>(Map.of("PARLEY_MONGO_URI", mongoUri, "PARLEY_MONGO_DB", "parley_search",
        "PARLEY_AUTH", "local", "PARLEY_SIGNUP", "open"));
    shared = RunningNode.start(dataDir, settings);
    alice = ApiClient.signUp(shared.node(), "alice", WithAccountsNode.PASSWORD);
    bob = ApiClient.signUp(shared.node(), "bob", WithAccountsNode.PASSWORD);
  }

  @AfterAll
  static void stopShared() {
    if (shared != null) {
      shared.close();
      shared = null;
    }
  }

  private static String exchange(ApiClient client, String chatId, String content, String answer) {
    shared.upstream().script(Script.tokens(List.of(answer), 1));
    String id = client.send(chatId, content).getJsonObject("message").getString("id");
    client.replyEnded(chatId);
    return id;
  }

  private static List<String> ids(JsonArray hits) {
    return hits.stream().map(hit -> ((JsonObject) hit).getString("messageId")).toList();
  }

  @Test
  void everyWordWholeInAnyCaseAndOrder() {
    String both = exchange(alice, "m-fox-1", "The quick brown Fox", "ok");
    String one = exchange(alice, "m-fox-2", "quick thinking, foxglove", "ok");
    assertThat(ids(SearchTest.search(alice, "FOX quick"))).containsExactly(both);
    assertThat(ids(SearchTest.search(alice, "quick"))).containsExactlyInAnyOrder(both, one);
    assertThat(SearchTest.search(alice, "fo")).isEmpty();
    assertThat(SearchTest.search(alice, "fox").getJsonObject(0).getString("snippet")).isEqualTo("The quick brown <mark>Fox</mark>");
  }

  @Test
  void phrases() {
    String red = exchange(alice, "m-fruit-1", "a red apple and a green pear", "ok");
    exchange(alice, "m-fruit-2", "a green apple and a red pear", "ok");
    assertThat(ids(SearchTest.search(alice, "\"red apple\""))).containsExactly(red);
  }

  @Test
  void bestFirst() {
    String once = exchange(alice, "m-rank-1", "gnu " + "and other animals of the plains ".repeat(8), "ok");
    String often = exchange(alice, "m-rank-2", "gnu gnu gnu: horns", "ok");
    assertThat(ids(SearchTest.search(alice, "gnu"))).containsExactly(often, once);
  }

  @Test
  void titleAloneRepliesAndDeletion() {
    String first = exchange(alice, "m-titled", "hello there", "the tapir answer");
    alice.patch("/api/chats/m-titled", new JsonObject().put("title", "Trip to Samarkand"));
    JsonObject titleHit = SearchTest.search(alice, "samarkand").getJsonObject(0);
    assertThat(titleHit.getString("messageId")).isEqualTo(first);
    assertThat(titleHit.getString("snippet")).isEqualTo("Trip to <mark>Samarkand</mark>");
    assertThat(SearchTest.search(alice, "tapir").getJsonObject(0).getString("title")).isEqualTo("Trip to Samarkand");
    assertThat(alice.delete("/api/chats/m-titled").status()).isEqualTo(204);
    assertThat(SearchTest.search(alice, "tapir")).isEmpty();
    assertThat(SearchTest.search(alice, "samarkand")).isEmpty();
  }

  @Test
  void onlyTheCallersChats() {
    exchange(alice, "m-alice", "ocelot notes of alice", "ok");
    exchange(bob, "m-bob", "ocelot notes of bob", "ok");
    assertThat(SearchTest.search(alice, "ocelot").stream().map(hit -> ((JsonObject) hit).getString("chatId")))
        .containsExactly("m-alice");
    assertThat(SearchTest.search(bob, "ocelot").stream().map(hit -> ((JsonObject) hit).getString("chatId")))
        .containsExactly("m-bob");
  }
}
