package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;

/**
 * The model sees the whole path to the new reply's parent, however many messages it holds, after
 * the chat's system prompt; only {@code PARLEY_CONTEXT_MAX_CHARS} cuts it, the oldest messages
 * first, and the system prompt and the new message stay. For a send and a regeneration alike, as
 * the upstream received them. The long chats are imported, one request each.
 */
class WholePathContextTest {
  /** More than the store reads in its first request for a context. */
  private static final int IMPORTED = 120;
  private static final String SYSTEM_PROMPT = "Answer in one word.";

  @TempDir Path dataDir;

  /** Every message is "message NNN": eleven characters. */
  private static String text(int n) {
    return "message %03d".formatted(n);
  }

  private static String role(int n) {
    return n % 2 == 0 ? "user" : "assistant";
  }

  /** Messages {@code from} to {@code to} (both included) of the path, as the upstream gets them. */
  private static List<String> path(int from, int to) {
    List<String> messages = new ArrayList<>();
    for (int n = from; n <= to; n++) {
      messages.add(role(n) + ":" + text(n));
    }
    return messages;
  }

  private static List<String> withSystemPrompt(List<String> path) {
    List<String> messages = new ArrayList<>(List.of("system:" + SYSTEM_PROMPT));
    messages.addAll(path);
    return messages;
  }

  /** Imports one chat with a system prompt and a straight path of {@link #IMPORTED} messages, user and bot in turn: answers its id. */
  private static String importLongChat(ApiClient api) {
    JsonArray messages = new JsonArray();
    for (int n = 0; n < IMPORTED; n++) {
      messages.add(new JsonObject().put("id", "m" + n).put("parentId", n == 0 ? null : "m" + (n - 1)).put("sender", n % 2 == 0 ? "user" : "bot")
          .put("text", text(n)).put("status", "complete"));
    }
    JsonObject file = new JsonObject().put("format", "parley-chat").put("version", 1).put("chats", new JsonArray()
        .add(new JsonObject().put("title", "A long chat").put("systemPrompt", SYSTEM_PROMPT).put("messages", messages)));
    JsonObject imported = ApiClient.expect(api.request(HttpMethod.POST, "/api/import", file.toBuffer(), "Content-Type", "application/json"), 201);
    return imported.getJsonArray("chats").getJsonObject(0).getString("chatId");
  }

  /** Sends message number {@link #IMPORTED}, then regenerates its reply: answers what the model was shown each time, as role:content. */
  private static List<List<String>> sendThenRegenerate(RunningNode running) {
    running.upstream().script(Script.tokens(List.of("Fine."), 1));
    ApiClient api = running.anonymous();
    String chatId = importLongChat(api);
    JsonObject sent = api.send(chatId, text(IMPORTED));
    api.replyEnded(chatId);
    api.regenerate(sent.getJsonObject("reply").getString("id"), new JsonObject());
    api.replyEnded(chatId);
    return running.upstream().requests().stream()
        .map(request -> request.getJsonArray("messages").stream()
            .map(m -> ((JsonObject) m).getString("role") + ":" + ((JsonObject) m).getString("content")).toList())
        .toList();
  }

  @Test
  void aPathLongerThanOneStoreReadReachesTheModelWhole() {
    try (RunningNode running = RunningNode.start(dataDir, Map.of())) {
      List<List<String>> shown = sendThenRegenerate(running);

      List<String> whole = withSystemPrompt(path(0, IMPORTED));
      assertThat(shown).hasSize(2);
      assertThat(shown.get(0)).as("the send").hasSize(IMPORTED + 2).isEqualTo(whole);
      assertThat(shown.get(1)).as("the regeneration").isEqualTo(whole);
    }
  }

  @Test
  void aPathOverTheCharacterCapLosesItsOldestMessagesAndKeepsTheSystemPromptAndTheNewMessage() {
    // 121 messages of 11 characters: 1,331 in all. 990 hold the newest 90, from message 31 on.
    try (RunningNode running = RunningNode.start(dataDir, Map.of("PARLEY_CONTEXT_MAX_CHARS", 1_000))) {
      List<List<String>> shown = sendThenRegenerate(running);

      List<String> newest = withSystemPrompt(path(31, IMPORTED));
      assertThat(shown).hasSize(2);
      assertThat(shown.get(0)).as("the send").isEqualTo(newest);
      assertThat(shown.get(1)).as("the regeneration").isEqualTo(newest);
    }
  }
}
