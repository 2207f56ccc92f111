package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.chat.ChatId;
import parley.chat.ErrorCode;
import parley.chat.Rejection;

/**
 * Claiming a chat for a new reply, against each kind of latest entry, with the store's word on
 * whose chat it is given by a map instead of a store.
 */
class ReplyDirectoryTest {
  private static final ChatId CHAT = new ChatId("c1");
  private static final String OWNER = "owner";
  private static final String STRANGER = "stranger";

  private final Vertx vertx = Vertx.vertx();
  private final ReplyDirectory directory = new ReplyDirectory(vertx);

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static ReplyDirectory.Ownership owners(Map<ChatId, String> owners) {
    return chatId -> Future.succeededFuture(owners.get(chatId));
  }

  private ReplyDirectory.Entry claim(String replyId, String userId, Map<ChatId, String> owners) throws Exception {
    return directory.claim(CHAT, replyId, userId, "node-a", owners(owners)).await(10, TimeUnit.SECONDS);
  }

  private ErrorCode refusal(String replyId, String userId, Map<ChatId, String> owners) throws Exception {
    Throwable failure = directory.claim(CHAT, replyId, userId, "node-a", owners(owners))
        .map(claimed -> (Throwable) null).otherwise(cause -> cause).await(10, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(Rejection.class);
    return ((Rejection) failure).code();
  }

  @Test
  void aStrangersPendingSendDoesNotKeepTheOwnerBusy() throws Exception {
    // A stranger's send to the owner's chat claims it first; the store will refuse that send.
    claim("r-stranger", STRANGER, Map.of(CHAT, OWNER));
    ReplyDirectory.Entry owners = claim("r-owner", OWNER, Map.of(CHAT, OWNER));
    assertThat(owners.ownerId()).isEqualTo(OWNER);
    // The stranger's failure releases only its own claim: the owner's stays.
    directory.release(CHAT, new ReplyDirectory.Entry("r-stranger", STRANGER, "node-a", true)).await(10, TimeUnit.SECONDS);
    assertThat(directory.entries().await(10, TimeUnit.SECONDS)).containsEntry(CHAT, owners);
  }

  @Test
  void theOwnersRunningReplyKeepsTheChatBusy() throws Exception {
    claim("r1", OWNER, Map.of(CHAT, OWNER));
    assertThat(refusal("r2", OWNER, Map.of(CHAT, OWNER))).isEqualTo(ErrorCode.BUSY);
  }

  @Test
  void someoneElsesChatIsRefusedAndANewChatWaitsForAFirstSendUnderWay() throws Exception {
    claim("r1", OWNER, Map.of());
    // While the first send runs the chat may still be nobody's in the store: the second waits.
    assertThat(refusal("r2", STRANGER, Map.of())).isEqualTo(ErrorCode.BUSY);
    // Once it is the owner's, a stranger is refused whatever the entry.
    assertThat(refusal("r3", STRANGER, Map.of(CHAT, OWNER))).isEqualTo(ErrorCode.CHAT_ID_TAKEN);
  }

  @Test
  void anEndedReplyOfSomeoneElsesGivesWayInTheUsersOwnOrADeletedChat() throws Exception {
    ReplyDirectory.Entry first = claim("r1", STRANGER, Map.of());
    directory.markEnded(CHAT, first).await(10, TimeUnit.SECONDS);
    assertThat(claim("r2", OWNER, Map.of()).replyId()).isEqualTo("r2");
  }
}
