package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import parley.support.TestNode;

/**
 * The committed Parley and ChatGPT exports, each bent in one to three random places (a value
 * replaced by another of any type, a field removed) and imported: never a 5xx, a refusal is a JSON
 * error that says something, and a refused file adds no chat.
 */
class ImportFuzzTest {
  private static final Set<Integer> ANSWERS = Set.of(201, 400);
  private static Vertx vertx;
  private static TestNode node;
  private static Object parley;
  private static Object chatGpt;

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    node = TestNode.start(vertx, Files.createTempDirectory("parley-import-fuzz")).await(30, TimeUnit.SECONDS);
    parley = ImportTest.resource("parley-export.json").toJsonObject();
    chatGpt = ImportTest.resource("chatgpt-conversations.json").toJsonArray();
  }

  @AfterContainer
  static void stop() throws Exception {
    node.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** One change: where (a walk of choices down the file), what becomes of it (a value, or null to remove it). */
  record Change(List<Integer> walk, Object value, boolean remove) {}

  @Provide
  Arbitrary<Change> changes() {
    Arbitrary<Object> values = Arbitraries.oneOf(
        Arbitraries.of("", "x", "user", "bot", "assistant", "system", "streaming", "parley-chat", "text", "2026-13-40", "a/b")
            .map(Object.class::cast),
        Arbitraries.integers().between(-2, 3).map(Object.class::cast),
        Arbitraries.of(1e308, -0.5, 2.5).map(Object.class::cast),
        Arbitraries.of(true, false).map(Object.class::cast),
        Arbitraries.just(new JsonArray()),
        Arbitraries.just(new JsonObject()),
        Arbitraries.just(new JsonArray().add(new JsonArray().add(new JsonObject().put("x", 1)))),
        Arbitraries.strings().ofMaxLength(12).map(Object.class::cast),
        Arbitraries.just(null));
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(9), values,
        Arbitraries.of(true, false, false, false)).as(Change::new);
  }

  @Property(tries = 200)
  void bentFilesAreImportedOrRefusedCleanly(@ForAll boolean chatGptFile, @ForAll @Size(min = 1, max = 3) List<@From("changes") Change> changes)
      throws Exception {
    Object file = chatGptFile ? ((JsonArray) chatGpt).copy() : ((JsonObject) parley).copy();
    changes.forEach(change -> apply(file, change));
    Buffer body = file instanceof JsonArray array ? array.toBuffer() : ((JsonObject) file).toBuffer();
    List<String> before = chatIds();
    HttpResponse<Buffer> response = node.web().post(node.port(), "127.0.0.1", "/api/import")
        .putHeader("Content-Type", "application/json").sendBuffer(body).await(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(body.toString()).isIn(ANSWERS);
    if (response.statusCode() == 400) {
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("bad_request");
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message")).isNotBlank();
      assertThat(chatIds()).as("nothing stored for a refused file").isEqualTo(before);
    } else {
      assertThat(chatIds()).hasSizeGreaterThan(before.size());
    }
  }

  /** Follows the walk as far as the file goes, then changes what it reached in its container. */
  private static void apply(Object file, Change change) {
    // jqwik hands the same JsonObject/JsonArray instance to many tries; putting it into a file
    // uncopied let a later change write into it, and once one went inside itself, hashCode overflowed.
    Object value = change.value() instanceof JsonObject object ? object.copy()
        : change.value() instanceof JsonArray array ? array.copy() : change.value();
    Object container = file;
    Object key = pick(container, change.walk().get(0));
    for (int step : change.walk().subList(1, change.walk().size())) {
      Object next = child(container, key);
      if (!(next instanceof JsonObject || next instanceof JsonArray) || size(next) == 0) {
        break;
      }
      container = next;
      key = pick(container, step);
    }
    if (container instanceof JsonObject object) {
      if (change.remove()) {
        object.remove((String) key);
      } else {
        object.put((String) key, value);
      }
    } else {
      JsonArray array = (JsonArray) container;
      if (change.remove()) {
        array.remove((int) (Integer) key);
      } else {
        array.set((Integer) key, value);
      }
    }
  }

  private static Object pick(Object container, int step) {
    return container instanceof JsonObject object ? new ArrayList<>(object.fieldNames()).get(step % object.size()) : step % size(container);
  }

  private static Object child(Object container, Object key) {
    return container instanceof JsonObject object ? object.getValue((String) key) : ((JsonArray) container).getValue((Integer) key);
  }

  private static int size(Object container) {
    return container instanceof JsonObject object ? object.size() : ((JsonArray) container).size();
  }

  private static List<String> chatIds() throws Exception {
    return node.web().get(node.port(), "127.0.0.1", "/api/chats").send().await(10, TimeUnit.SECONDS).bodyAsJsonArray().stream()
        .map(chat -> ((JsonObject) chat).getString("chatId")).toList();
  }
}
