package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.support.FakeUpstream.Script;
import parley.support.WithNode;

/** History comes back oldest first and pages backwards; the chat list is most recent first. */
class HistoryAndChatsTest extends WithNode {

  @BeforeEach
  void script() {
    node.upstream().script(Script.tokens(List.of("ok"), 1));
  }

  /** Sends and waits for the reply's end, as a client does before it sends again. */
  private Future<JsonObject> exchange(String chatId, String content) {
    return node.sendOk(chatId, content).compose(ex -> node.replyEnded(chatId).map(ex));
  }

  @Test
  void unknownChatHasEmptyHistory(VertxTestContext ctx) {
    node.history("nobody-here").onComplete(ctx.succeeding(history -> ctx.verify(() -> {
      assertThat(history).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void historyPagesBackwardsWithLimitAndBefore(VertxTestContext ctx) {
    Future<JsonObject> chain = Future.succeededFuture();
    for (int i = 1; i <= 5; i++) {
      int n = i;
      chain = chain.compose(v -> exchange("paged", "question " + n));
    }
    Function<String, Future<JsonArray>> get = uri ->
        node.web().get(node.port(), "127.0.0.1", uri).send().map(r -> r.bodyAsJsonArray());
    chain.compose(v -> node.history("paged")).compose(all -> {
      ctx.verify(() -> {
        assertThat(all).hasSize(10);
        assertThat(contents(all).get(0)).isEqualTo("question 1");
        assertThat(contents(all).get(8)).isEqualTo("question 5");
      });
      return get.apply("/api/messages/paged?limit=4").compose(newest -> {
        ctx.verify(() -> assertThat(contents(newest)).containsExactly("question 4", "ok", "question 5", "ok"));
        String before = newest.getJsonObject(0).getString("id");
        return get.apply("/api/messages/paged?limit=3&before=" + before);
      }).map(older -> {
        ctx.verify(() -> {
          assertThat(contents(older)).containsExactly("ok", "question 3", "ok");
          assertThat(older.getJsonObject(2).getString("id")).isEqualTo(all.getJsonObject(5).getString("id"));
        });
        return older;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void chatListShowsTitleCountAndMostRecentlyActiveFirst(VertxTestContext ctx) {
    exchange("older", "Planning a trip to Lisbon in the spring with two children and a dog")
        .compose(v -> exchange("newer", "Recipe for bread"))
        .compose(v -> exchange("older", "And what about trains?"))
        .compose(v -> node.web().get(node.port(), "127.0.0.1", "/api/chats").send())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          JsonArray chats = response.bodyAsJsonArray();
          assertThat(chats).hasSize(2);
          JsonObject first = chats.getJsonObject(0);
          assertThat(first.getString("chatId")).isEqualTo("older");
          assertThat(first.getString("title")).startsWith("Planning a trip to Lisbon");
          assertThat(first.getLong("messageCount")).isEqualTo(4);
          assertThat(first.getString("updatedAt")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
          assertThat(chats.getJsonObject(1).getString("chatId")).isEqualTo("newer");
          assertThat(chats.getJsonObject(1).getLong("messageCount")).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  private static List<String> contents(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getString("content")).toList();
  }
}
