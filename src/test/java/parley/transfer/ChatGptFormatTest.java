package parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import parley.chat.MessageStatus;
import parley.chat.Rejection;
import parley.chat.Sender;

/**
 * ChatGPT's conversations.json becomes Parley's trees: the committed export (written for this test
 * in the shape ChatGPT's data export has: a synthetic root, hidden system and custom-instruction
 * messages, an edited question, a regenerated answer, an image, a code-interpreter call, a voice
 * message and an empty conversation) and hand-made broken ones.
 */
class ChatGptFormatTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  static Buffer resource(String name) {
    try (InputStream in = ChatGptFormatTest.class.getResourceAsStream("/parley/transfer/" + name)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<ImportedChat> read(Buffer file) {
    return ImportReader.read(file, 100_000, new CountingIds(), NOW);
  }

  private static List<ImportedChat> read(JsonArray conversations) {
    return read(conversations.toBuffer());
  }

  /** The texts on the path the chat shows by default: to its last created message. */
  static List<String> shownPath(ImportedChat chat) {
    Map<String, ImportedMessage> byId = chat.messages().stream().collect(Collectors.toMap(ImportedMessage::id, Function.identity()));
    List<String> path = new java.util.ArrayList<>();
    for (ImportedMessage at = chat.messages().get(chat.messages().size() - 1); at != null; at = byId.get(at.parentId())) {
      path.add(0, at.text());
    }
    return path;
  }

  @Test
  void theExportBecomesThreeChatsAndTheEmptyConversationIsSkipped() {
    List<ImportedChat> chats = read(resource("chatgpt-conversations.json"));
    assertThat(chats).extracting(ImportedChat::title)
        .containsExactly("Lyon weekend ☕ — cafés & bouchons", "Python: KeyError and dedupe", "Soft-boiled egg");
    assertThat(chats).allMatch(ImportedChat::named);
    assertThat(chats).flatExtracting(ImportedChat::messages).allMatch(m -> m.status() == MessageStatus.COMPLETE);
  }

  @Test
  void editsAndRegenerationsAreSiblingsAndTheLastShownBranchIsTheDefaultPath() {
    ImportedChat lyon = read(resource("chatgpt-conversations.json")).get(0);
    // Hidden system message and custom instructions are left out: 7 of 10 nodes.
    assertThat(lyon.messages()).hasSize(7);
    assertThat(lyon.systemPrompt()).isNull();
    assertThat(shownPath(lyon)).containsExactly(
        "Plan a weekend in Lyon for two: food first, museums second.",
        "**Saturday**\n- Breakfast at Les Halles Paul Bocuse\n- Musée des Confluences\n\n**Sunday**\n- Croix-Rousse market\n"
            + "- A bouchon for lunch: *quenelles de brochet*",
        "Which cafés near Vieux Lyon? ☕ Somewhere quiet to read «Le Petit Prince».",
        "Café Mokxa on rue de l'Arbre Sec is calm in the morning ☕; Slake Coffee House is another good pick. 本を読むなら静かです。");
    ImportedMessage first = lyon.messages().get(0);
    assertThat(first.parentId()).isNull();
    assertThat(first.sender()).isEqualTo(Sender.USER);
    assertThat(first.createdAt()).isEqualTo(Instant.parse("2024-11-12T09:00:01.125Z"));
    // The two versions of the question follow the first answer; the two answers to the edit follow it.
    ImportedMessage answer = lyon.messages().get(1);
    assertThat(lyon.messages().stream().filter(m -> answer.id().equals(m.parentId())).map(ImportedMessage::text))
        .containsExactly("Which cafés near Croix-Rousse?", "Which cafés near Vieux Lyon? ☕ Somewhere quiet to read «Le Petit Prince».");
    String edited = lyon.messages().stream().filter(m -> m.text().startsWith("Which cafés near Vieux")).findFirst().orElseThrow().id();
    assertThat(lyon.messages().stream().filter(m -> edited.equals(m.parentId())).map(ImportedMessage::model))
        .containsExactly("chatgpt/gpt-4o-mini", "chatgpt/gpt-4o");
    assertThat(lyon.messages()).extracting(ImportedMessage::id).isSorted();
  }

  @Test
  void toolCallsAndImagesAreLeftOutAndTheirChildrenFollowTheNearestKeptMessage() {
    ImportedChat python = read(resource("chatgpt-conversations.json")).get(1);
    assertThat(python.systemPrompt()).isEqualTo("You are a patient Python tutor. Prefer the standard library.");
    assertThat(python.messages()).extracting(ImportedMessage::sender).containsExactly(Sender.USER, Sender.BOT, Sender.USER, Sender.BOT);
    // The screenshot alone had no text: the question with text is now the first message.
    assertThat(python.messages().get(0).text()).isEqualTo("What does this traceback mean?");
    assertThat(python.messages().get(0).parentId()).isNull();
    ImportedMessage last = python.messages().get(3);
    assertThat(last.parentId()).isEqualTo(python.messages().get(2).id());
    assertThat(last.text()).startsWith("`dict.fromkeys` keeps the first of each, in order:\n\n```python\ndef dedupe(items):\n")
        .endsWith("```\n\nIt works for any hashable items.");
    // Neither the code sent to the tool nor what it printed is a message of the chat.
    assertThat(python.messages()).noneMatch(m -> m.text().startsWith("items =") || m.text().equals("[3, 1, 2]"));
  }

  @Test
  void aVoiceMessageBringsItsTranscript() {
    ImportedChat egg = read(resource("chatgpt-conversations.json")).get(2);
    assertThat(shownPath(egg)).containsExactly("How long do I boil an egg for a runny yolk?",
        "About six minutes from boiling water, then straight into cold water.");
  }

  private static JsonObject node(String id, String parent, String role, String text, Double time) {
    JsonObject message = role == null ? null : new JsonObject()
        .put("id", id)
        .put("author", new JsonObject().put("role", role))
        .put("create_time", time)
        .put("content", new JsonObject().put("content_type", "text").put("parts", new JsonArray().add(text)));
    return new JsonObject().put("id", id).put("parent", parent).put("message", message).put("children", new JsonArray());
  }

  private static JsonObject conversation(String title, String current, JsonObject... nodes) {
    JsonObject mapping = new JsonObject();
    for (JsonObject node : nodes) {
      mapping.put(node.getString("id"), node);
    }
    return new JsonObject().put("title", title).put("create_time", 1.7e9).put("mapping", mapping).put("current_node", current);
  }

  @Test
  void withoutACurrentNodeTheLatestMessageEndsThePath() {
    ImportedChat chat = read(new JsonArray().add(conversation("t", null,
        node("r", null, null, null, null),
        node("q", "r", "user", "hi", 10.0),
        node("a1", "q", "assistant", "first", 20.0),
        node("a2", "q", "assistant", "second", 30.0)))).get(0);
    assertThat(shownPath(chat)).containsExactly("hi", "second");
  }

  @Test
  void aCurrentNodeInTheMiddleContinuesByTheMostRecentChild() {
    ImportedChat chat = read(new JsonArray().add(conversation("t", "q1",
        node("q1", null, "user", "one", 10.0),
        node("a1", "q1", "assistant", "old", 20.0),
        node("a1b", "q1", "assistant", "new", 25.0),
        node("q2", null, "user", "another first message", 30.0)))).get(0);
    assertThat(shownPath(chat)).containsExactly("one", "new");
  }

  @Test
  void aConversationWithoutATitleIsNamedByItsFirstMessage() {
    JsonObject untitled = conversation(null, null, node("q", null, "user", "What is  the\nspeed of light?", 1.0));
    ImportedChat chat = read(new JsonArray().add(untitled)).get(0);
    assertThat(chat.title()).isEqualTo("What is the speed of light?");
    assertThat(chat.named()).isFalse();
  }

  @Test
  void timesInTheFutureBecomeNowAndMissingOnesFollowTheParent() {
    ImportedChat chat = read(new JsonArray().add(conversation("t", "a",
        node("q", null, "user", "hi", 4.0e9),
        node("a", "q", "assistant", "hello", null)))).get(0);
    assertThat(chat.messages()).extracting(ImportedMessage::createdAt).containsExactly(NOW, NOW);
  }

  @Test
  void aLoneConversationObjectIsTakenToo() {
    List<ImportedChat> chats = read(conversation("alone", null, node("q", null, "user", "hi", 1.0)).toBuffer());
    assertThat(chats).singleElement().extracting(ImportedChat::title).isEqualTo("alone");
  }

  private static String refusal(JsonArray file) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> read(file));
    assertThat(thrown).isInstanceOf(Rejection.class);
    return thrown.getMessage();
  }

  @Test
  void aParentThatIsNotInTheMappingIsRefusedByName() {
    assertThat(refusal(new JsonArray().add(conversation("Trip", null, node("q", "ghost", "user", "hi", 1.0)))))
        .contains("conversation 1 (\"Trip\")", "'q'", "'ghost'", "not a node");
  }

  @Test
  void aCycleIsRefusedByName() {
    assertThat(refusal(new JsonArray().add(conversation("Loop", null,
        node("a", "b", "user", "x", 1.0), node("b", "a", "assistant", "y", 2.0)))))
        .contains("cycle", "'a'", "'b'");
  }

  @Test
  void wrongShapesAreRefusedSayingWhere() {
    assertThat(refusal(new JsonArray().add("not a conversation"))).contains("conversation 1 is not a JSON object");
    assertThat(refusal(new JsonArray().add(new JsonObject().put("title", "No mapping")))).contains("has no mapping");
    assertThat(refusal(new JsonArray().add(new JsonObject().put("title", "x").put("mapping", new JsonObject().put("n", 5)))))
        .contains("node 'n' is not a JSON object");
    JsonObject noRole = node("q", null, "user", "hi", 1.0);
    noRole.getJsonObject("message").remove("author");
    assertThat(refusal(new JsonArray().add(conversation("x", null, noRole)))).contains("no author.role");
    JsonObject noParts = node("q", null, "user", "hi", 1.0);
    noParts.getJsonObject("message").getJsonObject("content").remove("parts");
    assertThat(refusal(new JsonArray().add(conversation("x", null, noParts)))).contains("no array of parts");
  }

  @Test
  void nodesAreCountedBeforeAnythingIsBuilt() {
    JsonObject mapping = new JsonObject();
    for (int i = 0; i < 11; i++) {
      mapping.put("n" + i, "not even a node");
    }
    JsonArray file = new JsonArray().add(new JsonObject().put("mapping", mapping));
    assertThatThrownBy(() -> ImportReader.read(file.toBuffer(), 10, new CountingIds(), NOW))
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("11 messages")
        .hasMessageContaining("at most 10");
  }
}
