package parley.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.support.ApiClient;
import parley.support.FakeUpstream.Script;
import parley.support.WithAccountsNode;

/**
 * With accounts, a search sees only the caller's chats, by session and by token, messages and
 * titles alike; an account deleted takes its chats out of the index.
 */
class SearchOwnershipTest extends WithAccountsNode {
  private static ApiClient alice;
  private static ApiClient bob;
  private static ApiClient bobsScript;

  @BeforeAll
  static void twoUsers() {
    alice = ApiClient.signUp(shared.node(), "alice", PASSWORD);
    bob = ApiClient.signUp(shared.node(), "bob", PASSWORD);
    bobsScript = bob.script("bob's script");
  }

  private static String exchange(ApiClient client, String chatId, String content) {
    shared.upstream().script(Script.tokens(List.of("noted"), 1));
    String id = client.send(chatId, content).getJsonObject("message").getString("id");
    client.replyEnded(chatId);
    return id;
  }

  private static List<String> chatsFound(ApiClient client, String q) {
    JsonArray hits = SearchTest.search(client, q);
    return hits.stream().map(hit -> ((JsonObject) hit).getString("chatId")).toList();
  }

  @Test
  void eachPersonFindsOnlyTheirOwnChats() {
    exchange(alice, "alice-platypus", "platypus facts, alice's own");
    exchange(bob, "bob-platypus", "platypus facts, bob's own");
    assertThat(chatsFound(alice, "platypus")).containsExactly("alice-platypus");
    assertThat(chatsFound(bob, "platypus")).containsExactly("bob-platypus");
    assertThat(chatsFound(bobsScript, "platypus facts")).containsExactly("bob-platypus");
    assertThat(chatsFound(bob, "alice")).isEmpty();

    // Titles too.
    bob.patch("/api/chats/bob-platypus", new JsonObject().put("title", "Secret okapi plans"));
    assertThat(chatsFound(bob, "okapi")).containsExactly("bob-platypus");
    assertThat(chatsFound(alice, "okapi")).isEmpty();
    assertThat(chatsFound(admin, "okapi")).isEmpty();
  }

  @Test
  void searchNeedsSomeoneSignedIn() {
    ApiClient.Answer anonymous = shared.anonymous().get("/api/search?q=platypus");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.errorCode()).isEqualTo("unauthenticated");
  }

  @Test
  void aDeletedAccountsChatsLeaveTheIndex() {
    ApiClient carol = ApiClient.signUp(shared.node(), "carol", PASSWORD);
    int before = indexedDocuments();
    exchange(carol, "carol-narwhal", "narwhal tusks");
    exchange(carol, "carol-second", "more narwhal lore");
    assertThat(chatsFound(carol, "narwhal")).containsExactlyInAnyOrder("carol-narwhal", "carol-second");
    // Two chats: a message, a reply and the chat itself each.
    assertThat(indexedDocuments()).isEqualTo(before + 6);
    assertThat(admin.delete("/api/users/" + carol.userId()).status()).isEqualTo(204);
    assertThat(indexedDocuments()).isEqualTo(before);
  }

  /** What the admin's /health details say the index holds. */
  private static int indexedDocuments() {
    JsonArray checks = admin.get("/health").json().getJsonArray("checks");
    JsonObject store = checks.stream().map(JsonObject.class::cast).filter(check -> check.getString("id").equals("store"))
        .findFirst().orElseThrow();
    return store.getJsonObject("data").getJsonObject("search").getInteger("documents");
  }
}
