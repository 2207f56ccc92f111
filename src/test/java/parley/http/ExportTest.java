package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;
import parley.support.SseCapture;

/**
 * {@code GET /api/chats/:chatId/export}: Markdown of the path the chat shows and JSON of its whole
 * tree, as downloads, on the embedded store; and the JSON imported again gives the same tree.
 */
class ExportTest {
  private static final String MODEL = "default/gpt-4o-mini";

  @TempDir Path dataDir;
  private RunningNode running;
  private ApiClient api;

  @BeforeEach
  void start() {
    running = RunningNode.start(dataDir, Map.of());
    api = running.anonymous();
    running.upstream().script(Script.echo(1));
  }

  @AfterEach
  void stop() {
    running.close();
  }

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

  /**
   * A chat with every kind of version: q1 → a1 (and a1 regenerated as a1b), q2 → a2, then q2 edited
   * (q2e → a2e) and shown; settings set.
   */
  private Map<String, String> branchedChat(String chatId) {
    Map<String, String> ids = new HashMap<>();
    JsonObject one = exchange(chatId, "Plan a trip to Lyon");
    running.upstream().script(Script.tokens(List.of("Second ", "version"), 1));
    ids.put("a1b", api.regenerate(id(one, "reply"), new JsonObject()).getJsonObject("reply").getString("id"));
    api.replyEnded(chatId);
    running.upstream().script(Script.echo(1));
    JsonObject two = exchange(new JsonObject().put("chatId", chatId).put("content", "Where to eat?").put("parentId", ids.get("a1b")));
    JsonObject edited = exchange(new JsonObject().put("chatId", chatId).put("content", "Where to eat *cheaply*?")
        .put("parentId", ids.get("a1b")));
    ids.put("q1", id(one, "message"));
    ids.put("a1", id(one, "reply"));
    ids.put("q2", id(two, "message"));
    ids.put("q2e", id(edited, "message"));
    ids.put("a2e", id(edited, "reply"));
    api.patch("/api/chats/" + chatId, new JsonObject().put("title", "Lyon: trip & food").put("systemPrompt", "Be brief.")
        .put("temperature", 0.4));
    return ids;
  }

  @Test
  void markdownIsThePathTheChatShowsAsADownload() {
    branchedChat("md");
    Answer markdown = api.get("/api/chats/md/export?format=md");
    assertThat(markdown.status()).isEqualTo(200);
    assertThat(markdown.header("Content-Type")).isEqualTo("text/markdown; charset=utf-8");
    assertThat(markdown.header("Content-Disposition")).isEqualTo("attachment; filename=\"lyon-trip-food.md\"");
    assertThat(markdown.header("Cache-Control")).isEqualTo("no-store");
    assertThat(markdown.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(markdown.body().toString()).isEqualTo("""
        # Lyon: trip & food

        **You**

        Plan a trip to Lyon

        **%1$s**

        Second version

        **You**

        Where to eat *cheaply*?

        **%1$s**

        You said: Where to eat *cheaply*?
        """.formatted(MODEL));
    // The same path as the chat shows.
    assertThat(api.history("md").stream().map(m -> ((JsonObject) m).getString("content")).toList())
        .containsExactly("Plan a trip to Lyon", "Second version", "Where to eat *cheaply*?", "You said: Where to eat *cheaply*?");
    // Markdown is what an export is without a format.
    assertThat(api.get("/api/chats/md/export").body()).isEqualTo(markdown.body());
  }

  @Test
  void jsonIsTheWholeTreeInCreationOrder() {
    Map<String, String> ids = branchedChat("tree");
    Answer json = api.get("/api/chats/tree/export?format=json");
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.header("Content-Type")).isEqualTo("application/json");
    assertThat(json.header("Content-Disposition")).isEqualTo("attachment; filename=\"lyon-trip-food.json\"");
    assertThat(json.header("Cache-Control")).isEqualTo("no-store");
    JsonObject file = json.json();
    assertThat(file.getString("format")).isEqualTo("parley-chat");
    assertThat(file.getInteger("version")).isEqualTo(1);
    assertThat(Instant.parse(file.getString("exportedAt"))).isNotNull();
    JsonObject chat = file.getJsonArray("chats").getJsonObject(0);
    assertThat(chat.getString("title")).isEqualTo("Lyon: trip & food");
    assertThat(chat.getString("systemPrompt")).isEqualTo("Be brief.");
    assertThat(chat.getDouble("temperature")).isEqualTo(0.4);
    assertThat(chat.getString("model")).isEqualTo(MODEL);
    JsonArray messages = chat.getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("id")).toList()).hasSize(7).isSorted();
    assertThat(chat.getString("createdAt")).isEqualTo(messages.getJsonObject(0).getString("createdAt"));
    JsonObject first = messages.getJsonObject(0);
    assertThat(first.getString("id")).isEqualTo(ids.get("q1"));
    assertThat(first.getValue("parentId")).isNull();
    assertThat(first.getString("sender")).isEqualTo("user");
    assertThat(first.getString("text")).isEqualTo("Plan a trip to Lyon");
    assertThat(first.getString("status")).isEqualTo("complete");
    assertThat(first.containsKey("model")).isFalse();
    JsonObject regenerated = messages.getJsonObject(2);
    assertThat(regenerated.getString("id")).isEqualTo(ids.get("a1b"));
    assertThat(regenerated.getString("parentId")).isEqualTo(ids.get("q1"));
    assertThat(regenerated.getString("model")).isEqualTo(MODEL);
    assertThat(messages.getJsonObject(5).getString("id")).isEqualTo(ids.get("q2e"));
    assertThat(messages.getJsonObject(5).getString("parentId")).isEqualTo(ids.get("a1b"));
    assertThat(messages.getJsonObject(3).getString("id")).isEqualTo(ids.get("q2"));
    assertThat(messages.getJsonObject(3).getString("parentId")).isEqualTo(ids.get("a1b"));
  }

  /** A tree as an export shows it, without its ids: each message's parent by position, and what it holds. */
  private static List<String> shape(JsonObject file) {
    JsonArray messages = file.getJsonArray("chats").getJsonObject(0).getJsonArray("messages");
    Map<String, Integer> position = new HashMap<>();
    List<String> shape = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      position.put(message.getString("id"), i);
      shape.add(position.get(message.getString("parentId")) + " " + message.getString("sender") + " " + message.getString("status")
          + " " + message.getString("model") + " " + message.getString("createdAt") + " " + message.getString("text"));
    }
    return shape;
  }

  private static JsonObject settingsOf(JsonObject file) {
    JsonObject chat = file.getJsonArray("chats").getJsonObject(0).copy();
    chat.remove("messages");
    return chat;
  }

  @Test
  void theJsonImportedAgainExportsTheSameTree() {
    branchedChat("original");
    JsonObject exported = api.get("/api/chats/original/export?format=json").json();

    Answer imported = api.post("/api/import", exported);
    assertThat(imported.status()).isEqualTo(201);
    JsonObject chat = imported.json().getJsonArray("chats").getJsonObject(0);
    String copy = chat.getString("chatId");
    assertThat(copy).isNotEqualTo("original").matches("^[A-Za-z0-9_-]{1,64}$");
    assertThat(chat.getString("title")).isEqualTo("Lyon: trip & food");
    assertThat(chat.getInteger("messageCount")).isEqualTo(7);

    JsonObject again = api.get("/api/chats/" + copy + "/export?format=json").json();
    assertThat(shape(again)).isEqualTo(shape(exported));
    assertThat(settingsOf(again)).isEqualTo(settingsOf(exported));
    // New ids throughout: none of the file's is reused.
    List<String> oldIds = exported.getJsonArray("chats").getJsonObject(0).getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("id")).toList();
    assertThat(again.getJsonArray("chats").getJsonObject(0).getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("id"))).doesNotContainAnyElementsOf(oldIds);
    assertThat(api.get("/api/chats/" + copy + "/export").body().toString())
        .isEqualTo(api.get("/api/chats/original/export").body().toString());
    assertThat(api.history(copy).stream().map(m -> ((JsonObject) m).getString("content")).toList())
        .isEqualTo(api.history("original").stream().map(m -> ((JsonObject) m).getString("content")).toList());
    assertThat(api.history(copy).getJsonObject(1).getJsonArray("siblingIds")).hasSize(2);

    // The copy is a chat like any other: it lists, takes a send on its path, and the model sees that path.
    assertThat(api.chatIds()).contains(copy, "original");
    exchange(copy, "And in the evening?");
    JsonObject request = running.upstream().requests().get(running.upstream().requests().size() - 1);
    assertThat(request.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("content")).toList()).containsExactly(
        "Be brief.", "Plan a trip to Lyon", "Second version", "Where to eat *cheaply*?", "You said: Where to eat *cheaply*?",
        "And in the evening?");
    assertThat(request.getDouble("temperature")).isEqualTo(0.4);
  }

  @Test
  void aLongChatIsExportedWhole() {
    JsonArray messages = new JsonArray();
    for (int i = 0; i < 1200; i++) {
      messages.add(new JsonObject().put("id", "m" + i).put("parentId", i == 0 ? null : "m" + (i - 1))
          .put("sender", i % 2 == 0 ? "user" : "bot").put("text", "message " + i));
    }
    JsonObject file = new JsonObject().put("format", "parley-chat").put("version", 1)
        .put("chats", new JsonArray().add(new JsonObject().put("title", "Long").put("messages", messages)));
    String chatId = api.post("/api/import", file).json().getJsonArray("chats").getJsonObject(0).getString("chatId");

    JsonArray exported = api.get("/api/chats/" + chatId + "/export?format=json").json().getJsonArray("chats").getJsonObject(0)
        .getJsonArray("messages");
    assertThat(exported.stream().map(m -> ((JsonObject) m).getString("text")).toList())
        .isEqualTo(messages.stream().map(m -> ((JsonObject) m).getString("text")).toList());
    String markdown = api.get("/api/chats/" + chatId + "/export").body().toString();
    assertThat(markdown).startsWith("# Long\n\n**You**\n\nmessage 0\n\n**Assistant**\n\nmessage 1\n").endsWith("message 1199\n");
    assertThat(api.get("/api/messages/" + chatId + "?limit=2").array().stream().map(m -> ((JsonObject) m).getString("content")).toList())
        .containsExactly("message 1198", "message 1199");
  }

  @Test
  void aReplyStillStreamingIsExportedAsStored() {
    exchange("live", "first");
    running.upstream().script(Script.tokens(Collections.nCopies(200, "x "), 20));
    api.send("live", "go on");
    SseCapture watching = ApiClient.await(api.stream("live"));
    ApiClient.await(watching.deltas(3));
    JsonArray messages = api.get("/api/chats/live/export?format=json").json().getJsonArray("chats").getJsonObject(0)
        .getJsonArray("messages");
    JsonObject streaming = messages.getJsonObject(3);
    assertThat(streaming.getString("status")).isEqualTo("streaming");
    assertThat("x ".repeat(200)).startsWith(streaming.getString("text"));
    assertThat(api.get("/api/chats/live/export").body().toString()).startsWith("# first\n\n**You**\n\nfirst\n");
    api.post("/api/stream/live/terminate", null);
    ApiClient.await(watching.done());
  }

  @Test
  void refusals() {
    exchange("mine", "hello");
    Answer pdf = api.get("/api/chats/mine/export?format=pdf");
    assertThat(pdf.status()).isEqualTo(400);
    assertThat(pdf.errorCode()).isEqualTo("bad_request");
    assertThat(pdf.json().getJsonObject("error").getString("message")).contains("md or json");
    Answer none = api.get("/api/chats/nobody-here/export?format=json");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.errorCode()).isEqualTo("not_found");
    assertThat(api.get("/api/chats/bad%20id/export").status()).isEqualTo(400);
    // A chat set up by PATCH before its first message has nothing to export.
    api.patch("/api/chats/empty", new JsonObject().put("title", "Nothing yet"));
    assertThat(api.get("/api/chats/empty/export").status()).isEqualTo(404);
  }

  @Test
  void fileNamesAreSafeWhateverTheTitle() {
    exchange("named", "hello");
    api.patch("/api/chats/named", new JsonObject().put("title", "Café crème: \"quoted\" / ../../etc/passwd Ünïcödé!"));
    assertThat(api.get("/api/chats/named/export").header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"cafe-creme-quoted-etc-passwd-unicode.md\"");
    api.patch("/api/chats/named", new JsonObject().put("title", "秋の夜 🍁"));
    assertThat(api.get("/api/chats/named/export?format=json").header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"named.json\"");
    assertThat(api.get("/api/chats/named/export").body().toString()).startsWith("# 秋の夜 🍁\n");
  }
}
