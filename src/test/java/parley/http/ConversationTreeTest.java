package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

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
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;
import parley.support.SseCapture;

/**
 * A chat is a tree: regenerating a reply and editing a sent message make siblings, nothing is
 * overwritten, a history read is one path with each message's siblings, and the model is shown the
 * path to the new reply's parent and never a sibling branch (as the upstream received it).
 */
class ConversationTreeTest {
  @TempDir Path dataDir;
  private RunningNode running;
  private ApiClient api;
  private FakeUpstream upstream;

  @BeforeEach
  void start() {
    running = RunningNode.start(dataDir, Map.of());
    api = running.anonymous();
    upstream = running.upstream();
    upstream.script(Script.echo(1));
  }

  @AfterEach
  void stop() {
    running.close();
  }

  /** Sends and waits for the reply's end; answers {message, reply}. */
  private JsonObject exchange(JsonObject body) {
    JsonObject sent = api.send(body);
    api.replyEnded(body.getString("chatId"));
    return sent;
  }

  private JsonObject exchange(String chatId, String content) {
    return exchange(new JsonObject().put("chatId", chatId).put("content", content));
  }

  private static String id(JsonObject exchange, String part) {
    return exchange.getJsonObject(part).getString("id");
  }

  private static List<String> ids(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getString("id")).toList();
  }

  private static List<String> contents(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getString("content")).toList();
  }

  /** What the model was shown by the last request, as role:content. */
  private List<String> lastUpstreamMessages() {
    JsonObject request = upstream.requests().get(upstream.requests().size() - 1);
    return request.getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("role") + ":" + ((JsonObject) m).getString("content")).toList();
  }

  @Test
  void regenerateMakesASiblingReplyThatStreamsAndKeepsTheFirst() {
    JsonObject first = exchange("regen", "tell me a joke");
    String question = id(first, "message");
    String firstReply = id(first, "reply");
    assertThat(first.getJsonObject("message").getValue("parentId")).isNull();
    assertThat(first.getJsonObject("reply").getString("parentId")).isEqualTo(question);
    assertThat(first.getJsonObject("reply").getString("model")).isEqualTo("default/gpt-4o-mini");

    upstream.script(Script.tokens(List.of("Another", " joke"), 5));
    JsonObject again = api.regenerate(firstReply, new JsonObject());
    assertThat(again.containsKey("message")).isFalse();
    JsonObject reply = again.getJsonObject("reply");
    assertThat(reply.getString("parentId")).isEqualTo(question);
    assertThat(reply.getString("status")).isEqualTo("streaming");
    assertThat(reply.getJsonArray("siblingIds")).containsExactly(firstReply, reply.getString("id"));

    List<SseCapture.Event> events = api.replyEnded("regen");
    assertThat(events.stream().filter(e -> !e.isEnd()).map(SseCapture.Event::data)).containsExactly("Another", " joke");
    assertThat(events.get(events.size() - 1).json().getString("messageId")).isEqualTo(reply.getString("id"));
    assertThat(lastUpstreamMessages()).containsExactly("user:tell me a joke");

    JsonArray path = api.history("regen");
    assertThat(ids(path)).containsExactly(question, reply.getString("id"));
    assertThat(contents(path)).containsExactly("tell me a joke", "Another joke");
    assertThat(path.getJsonObject(1).getJsonArray("siblingIds")).containsExactly(firstReply, reply.getString("id"));
    assertThat(path.getJsonObject(0).getJsonArray("siblingIds")).containsExactly(question);

    JsonArray back = api.historyVia("regen", firstReply);
    assertThat(contents(back)).containsExactly("tell me a joke", "You said: tell me a joke");
    assertThat(back.getJsonObject(1).getString("status")).isEqualTo("complete");
  }

  @Test
  void regenerateIsRefusedWhileAReplyStreamsForAUserMessageAndForNoMessage() {
    JsonObject first = exchange("refusals", "hello");
    upstream.script(Script.tokens(java.util.Collections.nCopies(200, "x "), 20));
    JsonObject second = api.send("refusals", "go on");
    Answer busy = api.post("/api/messages/" + id(first, "reply") + "/regenerate", new JsonObject());
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.errorCode()).isEqualTo("busy");
    api.post("/api/stream/refusals/terminate", null);
    api.replyEnded("refusals");

    Answer user = api.post("/api/messages/" + id(second, "message") + "/regenerate", new JsonObject());
    assertThat(user.status()).isEqualTo(400);
    Answer none = api.post("/api/messages/" + "0123456789abcdef01234567" + "/regenerate", new JsonObject());
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.errorCode()).isEqualTo("not_found");
    Answer unknownModel = api.post("/api/messages/" + id(first, "reply") + "/regenerate", new JsonObject().put("model", "nobody/none"));
    assertThat(unknownModel.status()).isEqualTo(400);
    assertThat(api.history("refusals")).hasSize(4);
  }

  @Test
  void editAndResendBranchesAndTheModelSeesExactlyThePath() {
    JsonObject one = exchange("edits", "q1");
    JsonObject two = exchange("edits", "q2");
    JsonObject three = exchange("edits", "q3");

    // Editing q2: a send whose parent is q2's parent.
    JsonObject edited = exchange(new JsonObject().put("chatId", "edits").put("content", "q2 edited").put("parentId", id(one, "reply")));
    assertThat(edited.getJsonObject("message").getString("parentId")).isEqualTo(id(one, "reply"));
    assertThat(edited.getJsonObject("message").getJsonArray("siblingIds")).containsExactly(id(two, "message"), id(edited, "message"));
    assertThat(lastUpstreamMessages()).containsExactly("user:q1", "assistant:You said: q1", "user:q2 edited");

    assertThat(contents(api.history("edits"))).containsExactly("q1", "You said: q1", "q2 edited", "You said: q2 edited");
    // Through the old version, continued by the most recent child at each step.
    assertThat(contents(api.historyVia("edits", id(two, "message"))))
        .containsExactly("q1", "You said: q1", "q2", "You said: q2", "q3", "You said: q3");
    assertThat(contents(api.historyVia("edits", id(one, "reply"))))
        .containsExactly("q1", "You said: q1", "q2 edited", "You said: q2 edited");

    // Paging works on the path.
    String via = "?via=" + id(two, "message");
    assertThat(contents(api.get("/api/messages/edits" + via + "&limit=2").array())).containsExactly("q3", "You said: q3");
    assertThat(contents(api.get("/api/messages/edits" + via + "&limit=2&before=" + id(three, "message")).array()))
        .containsExactly("q2", "You said: q2");

    // Without a parent, a send follows the most recent message, and sees only its path.
    exchange("edits", "q4");
    assertThat(lastUpstreamMessages())
        .containsExactly("user:q1", "assistant:You said: q1", "user:q2 edited", "assistant:You said: q2 edited", "user:q4");

    // Editing the first message: a new root.
    JsonObject root = exchange(new JsonObject().put("chatId", "edits").put("content", "q1 again").putNull("parentId"));
    assertThat(root.getJsonObject("message").getValue("parentId")).isNull();
    assertThat(root.getJsonObject("message").getJsonArray("siblingIds")).containsExactly(id(one, "message"), id(root, "message"));
    assertThat(lastUpstreamMessages()).containsExactly("user:q1 again");
    assertThat(contents(api.history("edits"))).containsExactly("q1 again", "You said: q1 again");
    assertThat(api.get("/api/chats").array().getJsonObject(0).getLong("messageCount")).isEqualTo(12);
  }

  @Test
  void aParentOutsideTheChatOrAnUnknownModelIsRefusedAndNothingIsStored() {
    JsonObject mine = exchange("tree-a", "first");
    JsonObject other = exchange("tree-b", "elsewhere");
    int calls = upstream.requests().size();
    for (JsonObject bad : List.of(
        new JsonObject().put("chatId", "tree-a").put("content", "x").put("parentId", id(other, "reply")),
        new JsonObject().put("chatId", "tree-a").put("content", "x").put("parentId", "0123456789abcdef01234567"),
        new JsonObject().put("chatId", "tree-a").put("content", "x").put("parentId", 42),
        new JsonObject().put("chatId", "tree-a").put("content", "x").put("model", "nobody/none"),
        new JsonObject().put("chatId", "tree-new").put("content", "x").put("parentId", id(mine, "reply")))) {
      Answer refused = api.post("/api/messages", bad);
      assertThat(refused.status()).as(bad.encode()).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("bad_request");
    }
    assertThat(contents(api.history("tree-a"))).containsExactly("first", "You said: first");
    assertThat(api.history("tree-new")).isEmpty();
    assertThat(api.chatIds()).containsExactlyInAnyOrder("tree-a", "tree-b");
    assertThat(upstream.requests()).hasSize(calls);
    // The chat works on as before.
    exchange("tree-a", "second");
    assertThat(lastUpstreamMessages()).containsExactly("user:first", "assistant:You said: first", "user:second");
  }

  @Test
  void terminateAndReplayWorkForARegeneratedReply() throws Exception {
    JsonObject first = exchange("regen-stop", "hello");
    upstream.script(Script.tokens(java.util.Collections.nCopies(200, "y "), 20));
    JsonObject again = api.regenerate(id(first, "reply"), new JsonObject());
    SseCapture watching = ApiClient.await(api.stream("regen-stop"));
    ApiClient.await(watching.deltas(3));
    SseCapture late = ApiClient.await(running.node().stream("regen-stop", 2L));
    ApiClient.await(late.deltas(1));
    assertThat(api.post("/api/stream/regen-stop/terminate", null).json().getBoolean("terminated")).isTrue();
    List<SseCapture.Event> events = ApiClient.await(watching.done());
    assertThat(events.get(events.size() - 1).json().getString("status")).isEqualTo("terminated");
    List<SseCapture.Event> resumed = ApiClient.await(late.done());
    assertThat(resumed.get(0).id()).isEqualTo("3");
    JsonArray path = api.history("regen-stop");
    assertThat(path.getJsonObject(1).getString("id")).isEqualTo(id(again, "reply"));
    assertThat(path.getJsonObject(1).getString("status")).isEqualTo("terminated");
  }
}
