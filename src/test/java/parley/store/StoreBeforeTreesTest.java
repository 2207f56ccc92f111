package parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.chat.MessageIds;
import parley.store.embedded.EmbeddedStoreBackend;
import parley.support.ApiClient;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;

/**
 * A store written before chats were trees (documents as the build before it wrote them, put in
 * through the MongoDB wire: no parentId, no parents, no settings) opens and reads as straight
 * lines, and its chats branch from there like any other.
 */
class StoreBeforeTreesTest {
  @TempDir Path dataDir;

  private static final List<String> IDS = List.of(MessageIds.next(), MessageIds.next(), MessageIds.next(), MessageIds.next());

  /** Two exchanges of chat "legacy", exactly as the previous build stored them. */
  private Future<Void> writeOldChat(Vertx vertx) {
    return EmbeddedStoreBackend.start(vertx, dataDir, 100, new JsonObject().put("db_name", "parley")).compose(backend -> {
      MongoClient mongo = MongoClient.create(vertx, backend.mongoClientConfig());
      String[] contents = {"first question", "first answer", "second question", "second answer"};
      Future<?> written = Future.succeededFuture();
      for (int i = 0; i < IDS.size(); i++) {
        JsonObject message = new JsonObject().put("_id", IDS.get(i)).put("chatId", "legacy")
            .put("sender", i % 2 == 0 ? "user" : "bot").put("content", contents[i]).put("status", "complete")
            .put("createdAt", "2026-11-0" + (i + 1) + "T10:00:00.000Z");
        written = written.compose(v -> mongo.insert(MessageStore.MESSAGES, message));
      }
      JsonObject chat = new JsonObject().put("_id", "legacy").put("title", "first question").put("updatedAt", "2026-11-04T10:00:00.000Z")
          .put("messageCount", 4).put("messageIds", new JsonArray(IDS)).put("ownerId", "local");
      return written.compose(v -> mongo.insert(MessageStore.CHATS, chat))
          .compose(v -> backend.flush())
          .eventually(mongo::close)
          .eventually(backend::close);
    });
  }

  @Test
  void anOldChatReadsAsAStraightLineAndBranchesFromThere() {
    Vertx vertx = Vertx.vertx();
    try {
      ApiClient.await(writeOldChat(vertx));
    } finally {
      ApiClient.await(vertx.close());
    }
    try (RunningNode running = RunningNode.start(dataDir, Map.of())) {
      running.upstream().script(Script.echo(1));
      ApiClient api = running.anonymous();
      JsonArray path = api.history("legacy");
      assertThat(path).hasSize(4);
      for (int i = 0; i < 4; i++) {
        JsonObject message = path.getJsonObject(i);
        assertThat(message.getString("id")).isEqualTo(IDS.get(i));
        assertThat(message.getValue("parentId")).isEqualTo(i == 0 ? null : IDS.get(i - 1));
        assertThat(message.getJsonArray("siblingIds")).containsExactly(IDS.get(i));
        assertThat(message.containsKey("model")).isFalse();
      }
      JsonObject chat = api.get("/api/chats").array().getJsonObject(0);
      assertThat(chat.getString("title")).isEqualTo("first question");
      assertThat(chat.getValue("model")).isNull();
      assertThat(chat.getBoolean("pinned")).isFalse();

      // It goes on as a tree: a regenerated first answer, with the path as context.
      JsonObject again = api.regenerate(IDS.get(1), new JsonObject());
      api.replyEnded("legacy");
      assertThat(running.upstream().requests().get(0).getJsonArray("messages"))
          .containsExactly(new JsonObject().put("role", "user").put("content", "first question"));
      assertThat(again.getJsonObject("reply").getJsonArray("siblingIds")).containsExactly(IDS.get(1), again.getJsonObject("reply").getString("id"));
      assertThat(api.history("legacy").stream().map(m -> ((JsonObject) m).getString("content")))
          .containsExactly("first question", "You said: first question");
      assertThat(api.historyVia("legacy", IDS.get(1)).stream().map(m -> ((JsonObject) m).getString("id"))).containsExactlyElementsOf(IDS);
      // A send after it follows the most recent message: the new reply.
      api.send("legacy", "third question");
      api.replyEnded("legacy");
      assertThat(running.upstream().requests().get(1).getJsonArray("messages").stream()
          .map(m -> ((JsonObject) m).getString("content"))).containsExactly("first question", "You said: first question", "third question");
    }
  }
}
