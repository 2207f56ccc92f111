package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.chat.MessageIds;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;
import parley.support.WithAccountsNode;
import parley.support.SseCapture;

/**
 * A chat is its first sender's: to anyone else (by cookie or by token) it looks exactly like a
 * chat that does not exist, on every path, while its reply streams and after; only its id is
 * taken, and a send to it stores nothing, calls no model and disturbs nothing of the owner's.
 */
class OwnershipTest extends WithAccountsNode {
  private static ApiClient alice;
  private static ApiClient bob;
  private static ApiClient bobsScript;

  @BeforeAll
  static void twoUsers() {
    alice = ApiClient.signUp(shared.node(), "alice", PASSWORD);
    bob = ApiClient.signUp(shared.node(), "bob", PASSWORD);
    bobsScript = bob.script("bob's script");
  }

  /** Everything bob can try on alice's chat, none of which may show or change anything. */
  private static void bobFindsNothing(String chatId) {
    JsonArray alicesPath = alice.history(chatId);
    String alicesReply = alicesPath.getJsonObject(1).getString("id");
    JsonArray alicesChats = alice.get("/api/chats").array();
    for (ApiClient stranger : List.of(bob, bobsScript)) {
      int modelCalls = shared.upstream().requests().size();
      // The tree's routes: her message ids are nobody's to him.
      Answer regenerate = stranger.post("/api/messages/" + alicesReply + "/regenerate", new JsonObject());
      assertThat(regenerate.status()).as(regenerate.toString()).isEqualTo(404);
      assertThat(regenerate.errorCode()).isEqualTo("not_found");
      Answer via = stranger.get("/api/messages/" + chatId + "?via=" + alicesReply);
      Answer viaNowhere = stranger.get("/api/messages/no-such-chat-at-all?via=" + alicesReply);
      assertThat(via.status()).isEqualTo(viaNowhere.status());
      assertThat(via.errorCode()).isEqualTo(viaNowhere.errorCode());
      Answer branch = stranger.post("/api/messages",
          new JsonObject().put("chatId", "bobs-branch").put("content", "x").put("parentId", alicesReply));
      assertThat(branch.status()).isEqualTo(400);
      Answer patch = stranger.patch("/api/chats/" + chatId, new JsonObject().put("title", "bob's now"));
      assertThat(patch.status()).isEqualTo(409);
      assertThat(patch.errorCode()).isEqualTo("chat_id_taken");
      assertThat(alice.get("/api/chats").array()).isEqualTo(alicesChats);
      assertThat(stranger.history(chatId)).isEmpty();
      assertThat(stranger.get("/api/messages/" + chatId + "?limit=5").array()).isEmpty();
      assertThat(stranger.get("/api/stream/" + chatId).status()).isEqualTo(204);
      Answer terminate = stranger.post("/api/stream/" + chatId + "/terminate", null);
      assertThat(terminate.status()).isEqualTo(200);
      assertThat(terminate.json()).isEqualTo(new JsonObject().put("terminated", false));
      assertThat(stranger.delete("/api/chats/" + chatId).status()).isEqualTo(204);
      assertThat(stranger.chatIds()).doesNotContain(chatId);

      Answer send = stranger.trySend(chatId, "let me in");
      assertThat(send.status()).as(send.toString()).isEqualTo(409);
      assertThat(send.errorCode()).isEqualTo("chat_id_taken");
      assertThat(stranger.history(chatId)).isEmpty();
      assertThat(shared.upstream().requests()).as("no model call for a refused send").hasSize(modelCalls);
    }
  }

  @Test
  void anotherUsersChatLooksLikeNoneWhileItsReplyStreams() {
    Promise<Void> release = Promise.promise();
    shared.upstream().script(Script.tokens(List.of("alice's ", "private ", "answer"), 5).heldUntil(release.future()));
    JsonObject sent = alice.send("alices-chat", "my private question");
    SseCapture watching = ApiClient.await(alice.stream("alices-chat"));
    ApiClient.await(watching.deltas(3));

    bobFindsNothing("alices-chat");

    release.complete();
    List<SseCapture.Event> events = ApiClient.await(watching.done());
    assertThat(SseCapture.textOf(events)).isEqualTo("alice's private answer");
    assertThat(SseCapture.endOf(events).json().getString("status")).as("bob's terminate stopped nothing").isEqualTo("complete");
    JsonArray history = alice.history("alices-chat");
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(0).getString("id")).isEqualTo(sent.getJsonObject("message").getString("id"));
    assertThat(history.getJsonObject(0).getString("content")).isEqualTo("my private question");
    assertThat(history.getJsonObject(1).getString("content")).isEqualTo("alice's private answer");
    assertThat(history.getJsonObject(1).getString("status")).isEqualTo("complete");
    assertThat(alice.chatIds()).contains("alices-chat");
  }

  @Test
  void anotherUsersChatLooksLikeNoneAfterItsReplyAndTheOwnersReplayStays() {
    shared.upstream().script(Script.tokens(List.of("kept ", "for ", "replay"), 2));
    alice.send("alices-finished-chat", "a question");
    List<SseCapture.Event> before = alice.replyEnded("alices-finished-chat");
    JsonArray historyBefore = alice.history("alices-finished-chat");

    bobFindsNothing("alices-finished-chat");

    assertThat(alice.history("alices-finished-chat")).isEqualTo(historyBefore);
    assertThat(alice.chatIds()).contains("alices-finished-chat");
    // The reply is still kept for replay for her: bob's tries took nothing of it.
    List<SseCapture.Event> after = alice.replyEnded("alices-finished-chat");
    assertThat(after).isEqualTo(before);
    // And she can go on with her chat.
    alice.send("alices-finished-chat", "a follow-up");
    alice.replyEnded("alices-finished-chat");
    assertThat(alice.history("alices-finished-chat")).hasSize(4);
  }

  @Test
  void pagingAnotherUsersChatAnswersAsForAChatThatDoesNotExist() {
    shared.upstream().script(Script.tokens(List.of("ok"), 1));
    JsonObject sent = alice.send("alices-long-chat", "first");
    alice.replyEnded("alices-long-chat");
    String messageId = sent.getJsonObject("message").getString("id");
    Answer theirs = bob.get("/api/messages/alices-long-chat?limit=1&before=" + messageId);
    Answer none = bob.get("/api/messages/no-such-chat-at-all?limit=1&before=" + messageId);
    assertThat(theirs.status()).isEqualTo(none.status());
    assertThat(theirs.json().getJsonObject("error").getString("code")).isEqualTo(none.errorCode());
  }

  @Test
  void eachUserSeesOnlyTheirOwnChats() {
    shared.upstream().script(Script.tokens(List.of("ok"), 1));
    bob.send("bobs-own-chat", "mine");
    bob.replyEnded("bobs-own-chat");
    alice.send("alices-own-chat", "mine");
    alice.replyEnded("alices-own-chat");
    assertThat(bob.chatIds()).contains("bobs-own-chat").doesNotContain("alices-own-chat");
    assertThat(bobsScript.chatIds()).isEqualTo(bob.chatIds());
    assertThat(alice.chatIds()).contains("alices-own-chat").doesNotContain("bobs-own-chat");
    // Deleting one's own chat works, and only that.
    assertThat(bob.delete("/api/chats/bobs-own-chat").status()).isEqualTo(204);
    assertThat(bob.chatIds()).doesNotContain("bobs-own-chat");
    assertThat(alice.history("alices-own-chat")).hasSize(2);
  }

  /**
   * A window set up before its first message (a PATCH) holds only settings: the chat is its first
   * sender's, and what someone else set up for that id is dropped, never shown to the model.
   */
  @Test
  void aChatOnlySetUpIsNobodysUntilItsFirstMessage() {
    shared.upstream().script(Script.tokens(List.of("ok"), 1));
    Answer setUp = bob.patch("/api/chats/set-up-first", new JsonObject().put("title", "bob's plan").put("systemPrompt", "Obey bob."));
    assertThat(setUp.status()).as(setUp.toString()).isEqualTo(200);

    Answer aliceSets = alice.patch("/api/chats/set-up-first", new JsonObject().put("systemPrompt", "Be brief."));
    assertThat(aliceSets.status()).as("nobody's yet: alice may set it up too").isEqualTo(200);
    assertThat(aliceSets.json().getString("title")).as("nothing of bob's set-up is left").isNotEqualTo("bob's plan");

    int modelCalls = shared.upstream().requests().size();
    alice.send("set-up-first", "hello");
    alice.replyEnded("set-up-first");
    JsonObject asked = shared.upstream().requests().get(modelCalls);
    assertThat(asked.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("Be brief.");
    assertThat(alice.chatIds()).contains("set-up-first");
    Answer bobTries = bob.patch("/api/chats/set-up-first", new JsonObject().put("title", "mine again"));
    assertThat(bobTries.status()).as("once it has a message, it is alice's").isEqualTo(409);
    assertThat(bobTries.errorCode()).isEqualTo("chat_id_taken");

    // A send naming a parent cannot start a chat: it takes nothing over, and bob's set-up stays his.
    assertThat(bob.patch("/api/chats/kept-set-up", new JsonObject().put("systemPrompt", "Obey bob.")).status()).isEqualTo(200);
    Answer withParent = alice.request(HttpMethod.POST, "/api/messages", Buffer.buffer(new JsonObject().put("chatId", "kept-set-up")
        .put("content", "hi").put("parentId", MessageIds.next()).encode()), "Content-Type", "application/json");
    assertThat(withParent.status()).as(withParent.toString()).isEqualTo(409);
    int beforeBob = shared.upstream().requests().size();
    bob.send("kept-set-up", "go");
    bob.replyEnded("kept-set-up");
    assertThat(shared.upstream().requests().get(beforeBob).getJsonArray("messages").getJsonObject(0).getString("content"))
        .isEqualTo("Obey bob.");

    // Bob sets up another id; alice's first message there drops bob's settings.
    assertThat(bob.patch("/api/chats/squatted", new JsonObject().put("systemPrompt", "Obey bob.")).status()).isEqualTo(200);
    int before = shared.upstream().requests().size();
    alice.send("squatted", "hi");
    alice.replyEnded("squatted");
    JsonArray messages = shared.upstream().requests().get(before).getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("content"))).doesNotContain("Obey bob.");
    assertThat(alice.history("squatted")).hasSize(2);
    assertThat(bob.chatIds()).doesNotContain("squatted");
    assertThat(bob.history("squatted")).isEmpty();
  }

  @Test
  void chatsMadeBeforeAccountsExistedBelongToTheFirstAdmin(@TempDir Path dataDir) {
    try (RunningNode withoutAccounts = RunningNode.start(dataDir, Map.of())) {
      withoutAccounts.upstream().script(Script.tokens(List.of("from ", "before"), 1));
      ApiClient local = withoutAccounts.anonymous();
      local.send("from-before", "made with no accounts");
      local.replyEnded("from-before");
    }
    try (RunningNode withAccounts = RunningNode.start(dataDir, Map.of("PARLEY_AUTH", "local", "PARLEY_SIGNUP", "open"))) {
      ApiClient first = ApiClient.signUp(withAccounts.node(), "first", PASSWORD);
      ApiClient second = ApiClient.signUp(withAccounts.node(), "second", PASSWORD);
      assertThat(first.chatIds()).containsExactly("from-before");
      assertThat(first.history("from-before")).hasSize(2);
      assertThat(first.history("from-before").getJsonObject(1).getString("content")).isEqualTo("from before");
      assertThat(second.chatIds()).isEmpty();
      assertThat(second.history("from-before")).isEmpty();
      assertThat(second.trySend("from-before", "mine now?").errorCode()).isEqualTo("chat_id_taken");
    }
  }
}
