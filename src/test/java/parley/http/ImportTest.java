package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.Poll;
import parley.support.RunningNode;

/**
 * {@code POST /api/import} on a node whose store the test reads too (a MongoDB of its own, through
 * {@code PARLEY_MONGO_URI}): a good file becomes chats; a broken or hostile one (not JSON, an
 * unknown format, a missing parent, a cycle, nesting a thousand deep, too many messages, 50 MB)
 * gets a 400 or 413 that says what was wrong, and the store holds exactly what it held before.
 */
class ImportTest {
  private static final int MAX_MESSAGES = 500;
  // The shipped default (conf/config.json): the contract's 20 MB.
  private static final long MAX_BYTES = 20_000_000;

  private static MongoServer mongoServer;
  private static RunningNode running;
  private static ApiClient api;
  private static MongoClient mongo;

  @BeforeAll
  static void start(@TempDir Path dataDir) {
    mongoServer = new MongoServer(H2Backend.inMemory());
    mongoServer.bind("127.0.0.1", 0);
    running = RunningNode.start(dataDir, Map.of("PARLEY_MONGO_URI", mongoServer.getConnectionString(),
        "PARLEY_MAX_IMPORT_MESSAGES", MAX_MESSAGES));
    api = running.anonymous();
    mongo = MongoClient.create(running.node().vertx(),
        new JsonObject().put("connection_string", mongoServer.getConnectionString()).put("db_name", "parley"));
  }

  @AfterAll
  static void stop() {
    try {
      ApiClient.await(mongo.close());
      running.close();
    } finally {
      mongoServer.shutdownNow();
    }
  }

  static Buffer resource(String name) {
    try (InputStream in = ImportTest.class.getResourceAsStream("/parley/transfer/" + name)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** What the store holds, counted in its collections, and what the chat list shows. */
  private record Stored(long messages, long chats, List<String> listed) {}

  private static Stored stored() {
    return new Stored(ApiClient.await(mongo.count("messages", new JsonObject())), ApiClient.await(mongo.count("chats", new JsonObject())),
        api.chatIds());
  }

  private static Answer importing(Buffer body) {
    return api.request(HttpMethod.POST, "/api/import", body, "Content-Type", "application/json");
  }

  /** The refusal, with its status, code and words, after which the store holds what it held. */
  private static void refused(Buffer body, int status, String code, String... words) {
    Stored before = stored();
    Answer answer = importing(body);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.errorCode()).isEqualTo(code);
    assertThat(answer.json().getJsonObject("error").getString("message")).contains(words);
    assertThat(stored()).isEqualTo(before);
  }

  private static Buffer parleyFile(JsonObject... messages) {
    JsonArray list = new JsonArray();
    for (JsonObject message : messages) {
      list.add(message);
    }
    return new JsonObject().put("format", "parley-chat").put("version", 1)
        .put("chats", new JsonArray().add(new JsonObject().put("title", "Broken").put("messages", list))).toBuffer();
  }

  private static JsonObject message(String id, String parentId, String sender, String text) {
    return new JsonObject().put("id", id).put("parentId", parentId).put("sender", sender).put("text", text);
  }

  @Test
  void theCommittedParleyExportBecomesTheCallersChats() {
    Stored before = stored();
    Answer answer = importing(resource("parley-export.json"));
    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    JsonArray chats = answer.json().getJsonArray("chats");
    assertThat(chats).hasSize(2);
    JsonObject haiku = chats.getJsonObject(0);
    assertThat(haiku.fieldNames()).containsExactlyInAnyOrder("chatId", "title", "messageCount");
    assertThat(haiku.getString("title")).isEqualTo("Haiku about autumn 🍁");
    assertThat(haiku.getInteger("messageCount")).isEqualTo(7);
    assertThat(chats.getJsonObject(1).getInteger("messageCount")).isEqualTo(2);

    Stored after = stored();
    assertThat(after.messages()).isEqualTo(before.messages() + 9);
    assertThat(after.listed()).contains(haiku.getString("chatId"), chats.getJsonObject(1).getString("chatId"));
    JsonArray path = api.history(haiku.getString("chatId"));
    assertThat(path.stream().map(m -> ((JsonObject) m).getString("content")).toList())
        .containsExactly("Write a limerick about autumn instead.", "I only write haiku, I fear:\nleaves fall the same\nevery year.");
    assertThat(path.getJsonObject(0).getJsonArray("siblingIds")).hasSize(2);
    assertThat(path.getJsonObject(1).getString("model")).isEqualTo("ollama/llama3.2");
    // Through the first version of the question: its most recent answer, the one that was stopped.
    String firstVersion = path.getJsonObject(0).getJsonArray("siblingIds").getString(0);
    JsonArray older = api.historyVia(haiku.getString("chatId"), firstVersion);
    assertThat(older.stream().map(m -> ((JsonObject) m).getString("content")).toList())
        .containsExactly("Write a haiku about autumn.", "Maple fire burning");
    assertThat(older.getJsonObject(1).getString("status")).isEqualTo("terminated");
    assertThat(older.getJsonObject(1).getString("model")).isEqualTo("openai/gpt-4o-mini");
    String firstAnswer = older.getJsonObject(1).getJsonArray("siblingIds").getString(0);
    assertThat(api.historyVia(haiku.getString("chatId"), firstAnswer).stream().map(m -> ((JsonObject) m).getString("content")).toList())
        .containsExactly("Write a haiku about autumn.", "Red leaves let go —\nthe wind keeps none of them long.\nSo it is with us.",
            "Now one in Japanese, please: 秋", "秋の夜\n月を見上げる\n一人かな");
    JsonObject listed = api.get("/api/chats").array().stream().map(JsonObject.class::cast)
        .filter(chat -> chat.getString("chatId").equals(haiku.getString("chatId"))).findFirst().orElseThrow();
    assertThat(listed.getString("systemPrompt")).isEqualTo("Answer in haiku only.");
    assertThat(listed.getString("model")).isEqualTo("ollama/llama3.2");
    assertThat(listed.getDouble("temperature")).isEqualTo(0.7);
    assertThat(listed.getString("updatedAt")).isEqualTo("2026-11-28T18:05:00.000Z");
  }

  @Test
  void brokenFilesAreRefusedSayingWhatWasWrongAndStoreNothing() {
    refused(Buffer.buffer("this is not JSON"), 400, "bad_request", "not JSON", "line 1");
    refused(Buffer.buffer(), 400, "bad_request", "empty");
    refused(Buffer.buffer("{\"hello\": \"world\"}"), 400, "bad_request", "unknown format");
    refused(new JsonObject().put("format", "parley-chat").put("version", 7).put("chats", new JsonArray()).toBuffer(), 400,
        "bad_request", "version 7");
    refused(new JsonArray().add(new JsonObject().put("title", "x")).toBuffer(), 400, "bad_request", "has no mapping");
    refused(parleyFile(message("a", null, "user", "hi"), message("b", "ghost", "bot", "yo")), 400, "bad_request",
        "'b'", "'ghost'", "not a message of this chat");
    refused(parleyFile(message("a", "b", "user", "hi"), message("b", "a", "bot", "yo")), 400, "bad_request", "cycle");
    refused(parleyFile(message("a", null, "user", "hi"), message("b", "a", "alien", "yo")), 400, "bad_request",
        "sender must be user or bot");
    refused(Buffer.buffer("[".repeat(1000) + "]".repeat(1000)), 400, "bad_request", "nests deeper than 128");
    refused(Buffer.buffer(new byte[] {'P', 'K', 3, 4, 0, 0}), 400, "bad_request", "ZIP");
    // One good chat and one broken one: the good one is not stored either.
    JsonObject file = parleyFile(message("a", null, "user", "fine")).toJsonObject();
    file.getJsonArray("chats").add(new JsonObject().put("title", "bad").put("messages", new JsonArray().add(message("z", "nope", "user", "x"))));
    refused(file.toBuffer(), 400, "bad_request", "chat 2 (\"bad\")");
    assertThat(api.get("/health").status()).isEqualTo(200);
  }

  @Test
  void moreMessagesThanAllowedIsRefusedBeforeAnythingIsBuilt() {
    List<JsonObject> messages = new ArrayList<>();
    for (int i = 0; i <= MAX_MESSAGES; i++) {
      messages.add(message("m" + i, i == 0 ? null : "m" + (i - 1), i % 2 == 0 ? "user" : "bot", "text " + i));
    }
    refused(parleyFile(messages.toArray(JsonObject[]::new)), 400, "bad_request", (MAX_MESSAGES + 1) + " messages",
        "at most " + MAX_MESSAGES, "PARLEY_MAX_IMPORT_MESSAGES");
    // A ChatGPT file claiming a million messages: a million tiny nodes in 12 MB.
    StringBuilder flood = new StringBuilder("[{\"title\":\"flood\",\"mapping\":{");
    for (int i = 0; i < 1_000_000; i++) {
      flood.append(i == 0 ? "" : ",").append('"').append(i).append("\":{}");
    }
    refused(Buffer.buffer(flood.append("}}]").toString()), 400, "bad_request", "1000000 messages");
  }

  @Test
  void aFileOverTheByteLimitIs413WithoutBeingRead() {
    Buffer fifty = Buffer.buffer(new byte[50 * 1024 * 1024]);
    refused(fifty, 413, "too_large", "at most " + MAX_BYTES + " bytes");
    assertThat(api.get("/api/chats").status()).isEqualTo(200);
  }

  @Test
  void aStreamedFileThatGrowsPastTheLimitIs413AsSoonAsItDoes() {
    Stored before = stored();
    HttpClient http = running.node().vertx().createHttpClient();
    try {
      Answer answer = ApiClient.await(http.request(importRequest()).compose(request -> {
        request.setChunked(true);
        // The body is read as the answer arrives, on the event loop: later, it would be gone.
        Future<Answer> answered = request.response()
            .compose(response -> response.body().map(body -> new Answer(response.statusCode(), response.headers(), body, List.of())));
        // 1 MiB at a time, without a length: the node stops reading at 20 MB and answers.
        Buffer chunk = Buffer.buffer(new byte[1024 * 1024]);
        for (int i = 0; i < 30; i++) {
          request.write(chunk);
        }
        request.end();
        return answered;
      }));
      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.errorCode()).isEqualTo("too_large");
      assertThat(answer.json().getJsonObject("error").getString("message")).contains(Long.toString(MAX_BYTES));
    } finally {
      http.close();
    }
    assertThat(stored()).isEqualTo(before);
  }

  @Test
  void anotherContentTypeIs415() {
    Stored before = stored();
    Answer answer = api.request(HttpMethod.POST, "/api/import", resource("parley-export.json"), "Content-Type", "text/plain");
    assertThat(answer.status()).isEqualTo(415);
    assertThat(answer.errorCode()).isEqualTo("unsupported_media_type");
    assertThat(stored()).isEqualTo(before);
  }

  private static RequestOptions importRequest() {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(running.node().port())
        .setURI("/api/import").putHeader("Content-Type", "application/json");
  }

  @Test
  void onlyTwoImportsRunAtOnceAndAPlaceIsFreedWhenItsCallerHangsUp() {
    HttpClient slow = running.node().vertx().createHttpClient();
    try {
      // Two uploads that begin and never end hold both places.
      List<HttpClientRequest> stalled = new ArrayList<>();
      for (int i = 0; i < TransferRoutes.IMPORTS_AT_ONCE; i++) {
        stalled.add(ApiClient.await(slow.request(importRequest()).compose(request -> {
          request.setChunked(true);
          return request.write("[").map(request);
        })));
      }
      Buffer probe = Buffer.buffer("not JSON");
      Answer limited = ApiClient.await(Poll.until(running.node().vertx(),
          () -> api.requestAsync(HttpMethod.POST, "/api/import", probe, "Content-Type", "application/json"),
          answer -> answer.status() == 429, 10_000));
      assertThat(limited.errorCode()).isEqualTo("rate_limited");
      assertThat(limited.header("Retry-After")).isEqualTo("5");

      stalled.forEach(HttpClientRequest::reset);
      Answer admitted = ApiClient.await(Poll.until(running.node().vertx(),
          () -> api.requestAsync(HttpMethod.POST, "/api/import", probe, "Content-Type", "application/json"),
          answer -> answer.status() != 429, 10_000));
      assertThat(admitted.status()).isEqualTo(400);
      assertThat(importing(resource("parley-export.json")).status()).isEqualTo(201);
    } finally {
      slow.close();
    }
  }
}
