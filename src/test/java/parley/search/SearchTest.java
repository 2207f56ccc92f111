package parley.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;
import parley.support.SseCapture;

/**
 * {@code GET /api/search} on the embedded store (its Lucene index), through real HTTP: every word
 * must match, whole and in any case and order, phrases as phrases, best first; a chat found by its
 * title alone; what was sent, finished, renamed or deleted is found or gone with the very next
 * search; and bad queries are refused. Each test uses words of its own on one shared node.
 */
class SearchTest {
  @TempDir static Path dataDir;
  private static RunningNode shared;
  private static ApiClient person;

  @BeforeAll
  static void start() {
    shared = RunningNode.start(dataDir, Map.of());
    person = shared.anonymous();
  }

  @AfterAll
  static void stop() {
    shared.close();
  }

  static Answer searchAnswer(ApiClient client, String query) {
    return client.get("/api/search?" + query);
  }

  static JsonArray search(ApiClient client, String q) {
    Answer answer = searchAnswer(client, "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.array();
  }

  private static JsonArray search(String q) {
    return search(person, q);
  }

  /** Sends and waits for the reply to end (the model answers "ok"); answers the user message's id. */
  private static String exchange(String chatId, String content) {
    shared.upstream().script(Script.tokens(List.of("ok"), 1));
    JsonObject sent = person.send(chatId, content);
    person.replyEnded(chatId);
    return sent.getJsonObject("message").getString("id");
  }

  private static List<String> ids(JsonArray hits) {
    return hits.stream().map(hit -> ((JsonObject) hit).getString("messageId")).toList();
  }

  @Test
  void everyWordMustMatchInAnyOrder() {
    String both = exchange("fox-1", "The quick brown fox jumps over the lazy dog");
    String one = exchange("fox-2", "Quick thinking saves the day");
    assertThat(ids(search("fox quick"))).containsExactly(both);
    assertThat(ids(search("quick fox"))).containsExactly(both);
    assertThat(ids(search("quick"))).containsExactlyInAnyOrder(both, one);
    assertThat(search("quick fox elephant")).isEmpty();
    JsonObject hit = search("fox quick").getJsonObject(0);
    assertThat(hit.getString("chatId")).isEqualTo("fox-1");
    assertThat(hit.getString("title")).isEqualTo("The quick brown fox jumps over the lazy dog");
    assertThat(hit.getString("snippet")).isEqualTo("The <mark>quick</mark> brown <mark>fox</mark> jumps over the lazy dog");
    assertThat(hit.getString("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(hit.fieldNames()).containsExactlyInAnyOrder("chatId", "messageId", "title", "snippet", "createdAt");
  }

  @Test
  void wordsMatchWholeAndInAnyCase() {
    String cat = exchange("cat-1", "A CAT sat in the sun");
    exchange("cat-2", "Categories and concatenation");
    assertThat(ids(search("cat"))).containsExactly(cat);
    assertThat(ids(search("Cat"))).containsExactly(cat);
    assertThat(search("categ")).isEmpty();
    // "the" is a word like any other (no stop words), and nothing is stemmed.
    assertThat(ids(search("the sun"))).containsExactly(cat);
    assertThat(search("sat suns")).isEmpty();
  }

  @Test
  void quotedWordsMatchAsAPhrase() {
    String red = exchange("fruit-1", "a red apple and a green pear");
    String green = exchange("fruit-2", "a green apple and a red pear");
    assertThat(ids(search("\"red apple\""))).containsExactly(red);
    assertThat(ids(search("\"green apple\""))).containsExactly(green);
    assertThat(ids(search("red apple"))).containsExactlyInAnyOrder(red, green);
    assertThat(search("\"apple red\"")).isEmpty();
    assertThat(search("\"red apple\"").getJsonObject(0).getString("snippet"))
        .isEqualTo("a <mark>red apple</mark> and a green pear");
  }

  @Test
  void theBestMatchComesFirst() {
    String once = exchange("rank-1", "zebra " + "and other animals of the plains ".repeat(8));
    String often = exchange("rank-2", "zebra zebra zebra: stripes");
    String between = exchange("rank-3", "a zebra, another zebra and the rest of the herd");
    assertThat(ids(search("zebra"))).containsExactly(often, between, once);
  }

  @Test
  void aChatIsFoundByItsTitleAlone() {
    String first = exchange("titled", "hello there");
    exchange("titled", "how are you");
    Answer renamed = person.patch("/api/chats/titled", new JsonObject().put("title", "Trip to Zanzibar"));
    assertThat(renamed.status()).isEqualTo(200);
    JsonArray hits = search("zanzibar");
    assertThat(hits).hasSize(1);
    JsonObject hit = hits.getJsonObject(0);
    assertThat(hit.getString("chatId")).isEqualTo("titled");
    assertThat(hit.getString("messageId")).isEqualTo(first);
    assertThat(hit.getString("title")).isEqualTo("Trip to Zanzibar");
    assertThat(hit.getString("snippet")).isEqualTo("Trip to <mark>Zanzibar</mark>");
    // A message that matches stands for its chat: the title does not come again.
    String message = exchange("titled", "zanzibar is an island");
    assertThat(ids(search("zanzibar"))).containsExactly(message);
    // Renamed again, the old title finds nothing.
    person.patch("/api/chats/titled", new JsonObject().put("title", "Holidays"));
    assertThat(ids(search("trip"))).isEmpty();
    assertThat(ids(search("holidays"))).containsExactly(first);
  }

  @Test
  void aMessageIsFoundByTheNextSearchAndADeletedChatIsGoneFromIt() {
    shared.upstream().script(Script.tokens(List.of("ok"), 1));
    String id = person.send("at-once", "quetzalcoatl feathers").getJsonObject("message").getString("id");
    // No waiting: the send was answered, so the very next search finds it.
    assertThat(ids(search("quetzalcoatl"))).containsExactly(id);
    person.replyEnded("at-once");
    assertThat(person.delete("/api/chats/at-once").status()).isEqualTo(204);
    assertThat(search("quetzalcoatl")).isEmpty();
    assertThat(search("feathers")).isEmpty();
  }

  @Test
  void aReplyIsFoundOnceItEnds() {
    shared.upstream().script(Script.tokens(List.of("the ", "xylophone ", "answer"), 5));
    JsonObject sent = person.send("replies", "play me something");
    person.replyEnded("replies");
    String replyId = sent.getJsonObject("reply").getString("id");
    JsonObject hit = search("xylophone").getJsonObject(0);
    assertThat(hit.getString("messageId")).isEqualTo(replyId);
    assertThat(hit.getString("snippet")).isEqualTo("the <mark>xylophone</mark> answer");
  }

  @Test
  void aStoppedReplyIsFoundWithTheTextItKept() {
    shared.upstream().script(Script.tokens(Collections.nCopies(400, "marimba "), 20));
    JsonObject sent = person.send("stopped", "play on");
    SseCapture watching = ApiClient.await(person.stream("stopped"));
    ApiClient.await(watching.deltas(1));
    assertThat(search("marimba")).as("not while it streams").isEmpty();
    person.post("/api/stream/stopped/terminate", null);
    ApiClient.await(watching.done());
    JsonObject hit = search("marimba").getJsonObject(0);
    assertThat(hit.getString("messageId")).isEqualTo(sent.getJsonObject("reply").getString("id"));
  }

  @Test
  void limitCutsTheList() {
    for (int i = 0; i < 4; i++) {
      exchange("limited-" + i, "kumquat number " + i);
    }
    assertThat(search("kumquat")).hasSize(4);
    assertThat(searchAnswer(person, "q=kumquat&limit=2").array()).hasSize(2);
    assertThat(searchAnswer(person, "q=kumquat&limit=1").array()).hasSize(1);
  }

  @Test
  void snippetsAreEscapedAndMarkedOnly() {
    exchange("escaped", "<b>bold</b> & 'quoted' \"words\"");
    assertThat(search("bold words").getJsonObject(0).getString("snippet"))
        .isEqualTo("&lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; &#39;quoted&#39; &quot;<mark>words</mark>&quot;");
  }

  @Test
  void badQueriesAreRefused() {
    for (String query : List.of("", "q=", "q=%20%20", "limit=5", "q=x&limit=0", "q=x&limit=101", "q=x&limit=ten", "q=x&limit=1.5",
        "q=x&limit=", "q=" + "a".repeat(501))) {
      Answer answer = searchAnswer(person, query);
      assertThat(answer.status()).as(query).isEqualTo(400);
      assertThat(answer.errorCode()).as(query).isEqualTo("bad_request");
    }
    assertThat(searchAnswer(person, "q=" + "a".repeat(500) + "&limit=100").status()).isEqualTo(200);
    // Words made of punctuation alone find nothing, and that is no error.
    assertThat(search("?!")).isEmpty();
  }
}
