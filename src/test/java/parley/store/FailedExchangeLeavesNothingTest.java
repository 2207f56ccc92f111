package parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.chat.ChatId;
import parley.chat.MessageIds;
import parley.chat.NewMessage;
import parley.chat.ReplyModel;
import parley.store.embedded.EmbeddedMongo;

/**
 * An exchange whose write fails half-way is taken back whole: the chat is as it was (or gone, if
 * the exchange would have created it) and no message of it is left. The failure is forced by a
 * reply id that is already taken, so the inserts fail while the chat update succeeds.
 */
@ExtendWith(VertxExtension.class)
class FailedExchangeLeavesNothingTest {
  private static final String OWNER = "u1";
  private EmbeddedMongo embedded;
  private MongoClient mongo;
  private MessageStore store;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dataDir, VertxTestContext ctx) {
    embedded = EmbeddedMongo.start(dataDir, 1000);
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", embedded.connectionString()).put("db_name", "parley"));
    store = new MessageStore(mongo, Clock.systemUTC(), MessageStore.Durability.NONE);
    store.createIndexes().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    mongo.close().onComplete(done -> {
      embedded.close();
      ctx.completeNow();
    });
  }

  @Test
  void aNewChatIsNotCreated(VertxTestContext ctx) {
    String takenId = MessageIds.next();
    mongo.insert(MessageStore.MESSAGES, new JsonObject().put("_id", takenId).put("chatId", "elsewhere"))
        .compose(v -> store.beginExchange(new NewMessage(new ChatId("fresh"), "hello"), OWNER, MessageIds.next(), takenId, new ReplyModel("default/m", "default/m"), 20))
        .onComplete(ctx.failing(failure -> mongo.findOne(MessageStore.CHATS, new JsonObject().put("_id", "fresh"), null)
            .compose(chat -> mongo.count(MessageStore.MESSAGES, new JsonObject().put("chatId", "fresh")).map(messages -> {
              ctx.verify(() -> {
                assertThat(chat).isNull();
                assertThat(messages).isZero();
              });
              return null;
            }))
            .onComplete(ctx.succeedingThenComplete())));
  }

  @Test
  void anExistingChatIsLeftAsItWas(VertxTestContext ctx) {
    ChatId chatId = new ChatId("lived-in");
    String takenId = MessageIds.next();
    JsonObject[] before = new JsonObject[1];
    store.beginExchange(new NewMessage(chatId, "first"), OWNER, MessageIds.next(), MessageIds.next(), new ReplyModel("default/m", "default/m"), 20)
        .compose(first -> mongo.findOne(MessageStore.CHATS, new JsonObject().put("_id", chatId.value()), null))
        .compose(chat -> {
          before[0] = chat;
          return mongo.insert(MessageStore.MESSAGES, new JsonObject().put("_id", takenId).put("chatId", "elsewhere"));
        })
        .compose(v -> store.beginExchange(new NewMessage(chatId, "second"), OWNER, MessageIds.next(), takenId, new ReplyModel("default/m", "default/m"), 20))
        .onComplete(ctx.failing(failure -> mongo.findOne(MessageStore.CHATS, new JsonObject().put("_id", chatId.value()), null)
            .compose(after -> mongo.count(MessageStore.MESSAGES, new JsonObject().put("chatId", chatId.value())).map(messages -> {
              ctx.verify(() -> {
                assertThat(after).isEqualTo(before[0]);
                assertThat(messages).isEqualTo(2);
              });
              return null;
            }))
            .onComplete(ctx.succeedingThenComplete())));
  }
}
