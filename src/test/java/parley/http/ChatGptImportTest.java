package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

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
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;

/**
 * The committed ChatGPT export (a real-shaped {@code conversations.json}) imported through real
 * HTTP into the embedded store: its chats, their branches and the branch ChatGPT showed last, the
 * system prompt, and chats that go on like any other.
 */
class ChatGptImportTest {
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

  private JsonArray importExport() {
    Answer answer = api.request(HttpMethod.POST, "/api/import", ImportTest.resource("chatgpt-conversations.json"),
        "Content-Type", "application/json");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
    return answer.json().getJsonArray("chats");
  }

  private static List<String> contents(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getString("content")).toList();
  }

  @Test
  void threeConversationsBecomeChatsAndTheEmptyOneIsLeftOut() {
    JsonArray chats = importExport();
    assertThat(chats.stream().map(c -> ((JsonObject) c).getString("title")).toList())
        .containsExactly("Lyon weekend ☕ — cafés & bouchons", "Python: KeyError and dedupe", "Soft-boiled egg");
    assertThat(chats.stream().map(c -> ((JsonObject) c).getInteger("messageCount")).toList()).containsExactly(7, 4, 2);
    // Listed by when they were last active in ChatGPT: the latest first.
    JsonArray listed = api.get("/api/chats").array();
    assertThat(listed.stream().map(c -> ((JsonObject) c).getString("title")).toList())
        .containsExactly("Soft-boiled egg", "Python: KeyError and dedupe", "Lyon weekend ☕ — cafés & bouchons");
    assertThat(listed.getJsonObject(0).getString("updatedAt")).isEqualTo("2024-11-14T09:00:04.000Z");
    assertThat(listed.getJsonObject(1).getString("systemPrompt")).isEqualTo("You are a patient Python tutor. Prefer the standard library.");
    assertThat(listed.getJsonObject(2).getValue("systemPrompt")).isNull();
    // Importing the same file again makes new chats: no id is reused.
    JsonArray again = importExport();
    assertThat(api.chatIds()).hasSize(6).doesNotHaveDuplicates();
    assertThat(again.getJsonObject(0).getString("chatId")).isNotEqualTo(chats.getJsonObject(0).getString("chatId"));
  }

  @Test
  void theBranchChatGptShowedLastIsThePathShownAndTheOthersAreVersions() {
    String lyon = importExport().getJsonObject(0).getString("chatId");
    JsonArray path = api.history(lyon);
    assertThat(contents(path)).containsExactly(
        "Plan a weekend in Lyon for two: food first, museums second.",
        "**Saturday**\n- Breakfast at Les Halles Paul Bocuse\n- Musée des Confluences\n\n**Sunday**\n- Croix-Rousse market\n"
            + "- A bouchon for lunch: *quenelles de brochet*",
        "Which cafés near Vieux Lyon? ☕ Somewhere quiet to read «Le Petit Prince».",
        "Café Mokxa on rue de l'Arbre Sec is calm in the morning ☕; Slake Coffee House is another good pick. 本を読むなら静かです。");
    assertThat(path.getJsonObject(0).getValue("parentId")).isNull();
    assertThat(path.getJsonObject(1).getString("model")).isEqualTo("chatgpt/gpt-4o");
    assertThat(path.getJsonObject(1).getString("status")).isEqualTo("complete");
    assertThat(path.getJsonObject(2).getJsonArray("siblingIds")).hasSize(2);
    JsonArray answers = path.getJsonObject(3).getJsonArray("siblingIds");
    assertThat(answers).hasSize(2);
    // The other answer to the edited question, and the question before the edit with its answer.
    assertThat(contents(api.historyVia(lyon, answers.getString(0))).get(3))
        .isEqualTo("For a quiet read: Le Bec Fin café, then a walk along the Saône 📚.");
    assertThat(api.historyVia(lyon, answers.getString(0)).getJsonObject(3).getString("model")).isEqualTo("chatgpt/gpt-4o-mini");
    String before = path.getJsonObject(2).getJsonArray("siblingIds").getString(0);
    assertThat(contents(api.historyVia(lyon, before))).endsWith("Which cafés near Croix-Rousse?",
        "Try Le Café du Peintre and La Boulangerie du Palais.");

    String markdown = api.get("/api/chats/" + lyon + "/export").body().toString();
    assertThat(markdown).startsWith("# Lyon weekend ☕ — cafés & bouchons\n\n**You**\n\nPlan a weekend in Lyon")
        .contains("\n**chatgpt/gpt-4o**\n\nCafé Mokxa");
    assertThat(api.get("/api/chats/" + lyon + "/export").header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"lyon-weekend-cafes-bouchons.md\"");
  }

  @Test
  void anImportedChatGoesOnWithItsSystemPromptAndPath() {
    String python = importExport().getJsonObject(1).getString("chatId");
    JsonArray path = api.history(python);
    assertThat(contents(path).get(0)).isEqualTo("What does this traceback mean?");
    assertThat(contents(path).get(3)).startsWith("`dict.fromkeys` keeps the first of each, in order:\n\n```python\n");

    JsonObject sent = api.send(python, "Thanks! And for a list of dicts?");
    assertThat(sent.getJsonObject("message").getString("parentId")).isEqualTo(path.getJsonObject(3).getString("id"));
    api.replyEnded(python);
    JsonObject request = running.upstream().requests().get(0);
    assertThat(request.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("role")).toList())
        .containsExactly("system", "user", "assistant", "user", "assistant", "user");
    assertThat(request.getJsonArray("messages").getJsonObject(0).getString("content"))
        .isEqualTo("You are a patient Python tutor. Prefer the standard library.");
    assertThat(contents(api.history(python))).hasSize(6).last().isEqualTo("You said: Thanks! And for a list of dicts?");
  }
}
