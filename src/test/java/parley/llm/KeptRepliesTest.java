package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import parley.chat.ChatId;
import parley.chat.MessageStatus;
import parley.chat.ReplyEvent;
import parley.chat.ReplyLog;

/**
 * Kept replies are replayed whole until the retention time has passed, then forgotten by one
 * alarm for them all; a deleted chat's or account's are forgotten at once. The clock and the alarm
 * are the test's: nothing waits.
 */
class KeptRepliesTest {
  private static final long RETENTION_MS = 60_000;
  private static final long MS = 1_000_000;

  private final AtomicLong now = new AtomicLong(5_000 * MS);
  /** The alarms set, as when each rings (on the test's clock) and what it runs. */
  private final List<long[]> alarmTimes = new ArrayList<>();
  private final List<Runnable> alarms = new ArrayList<>();
  private final List<String> forgotten = new ArrayList<>();
  private final KeptReplies kept = new KeptReplies(RETENTION_MS, now::get, (delayMs, ring) -> {
    alarmTimes.add(new long[] {now.get() + delayMs * MS});
    alarms.add(ring);
  }, reply -> forgotten.add(reply.entry().replyId()));

  private static ReplyLog ended(String replyId, String... pieces) {
    ReplyLog log = new ReplyLog(replyId);
    for (String piece : pieces) {
      log.append(piece);
    }
    log.finish(MessageStatus.COMPLETE, null);
    return log;
  }

  private void keep(String chatId, String replyId, String ownerId) {
    kept.keep(new ChatId(chatId), new ReplyDirectory.Entry(replyId, ownerId, "node-a", false), ended(replyId, "one ", "two"));
  }

  /** Moves the clock to the last alarm set and rings it. */
  private void ringLastAlarm() {
    now.set(alarmTimes.get(alarmTimes.size() - 1)[0]);
    alarms.get(alarms.size() - 1).run();
  }

  @Test
  void aKeptReplyIsReplayedWholeWithItsEnd() {
    keep("c1", "r1", "ann");
    ReplyLog.Snapshot replay = kept.log("r1").after(0);
    assertThat(replay.deltas()).extracting(ReplyEvent.Delta::text).containsExactly("one ", "two");
    assertThat(replay.end().status()).isEqualTo(MessageStatus.COMPLETE);
    assertThat(kept.log("r1").after(1).deltas()).extracting(ReplyEvent.Delta::seq).containsExactly(2L);
    assertThat(kept.log("unknown")).isNull();
  }

  @Test
  void oneAlarmForgetsEveryReplyDueAndNoneBefore() {
    keep("c1", "r1", "ann");
    now.addAndGet(10 * MS);
    keep("c2", "r2", "ann");
    now.addAndGet(40_000 * MS);
    keep("c3", "r3", "bob");
    assertThat(alarms).as("one alarm, for the oldest").hasSize(1);
    assertThat(alarmTimes.get(0)[0]).isGreaterThanOrEqualTo(5_000 * MS + RETENTION_MS * MS);

    ringLastAlarm();
    // The first two ended 10 ms apart: the slack lets one sweep take both.
    assertThat(forgotten).containsExactly("r1", "r2");
    assertThat(kept.log("r1")).isNull();
    assertThat(kept.log("r3")).isNotNull();
    assertThat(alarms).as("set again for the next").hasSize(2);
    assertThat(alarmTimes.get(1)[0]).isGreaterThanOrEqualTo(5_000 * MS + 40_010 * MS + RETENTION_MS * MS);

    ringLastAlarm();
    assertThat(forgotten).containsExactly("r1", "r2", "r3");
    assertThat(kept.size()).isZero();
    assertThat(alarms).as("nothing left to wait for").hasSize(2);

    keep("c4", "r4", "ann");
    assertThat(alarms).as("set again once there is a reply to forget").hasSize(3);
  }

  @Test
  void anAlarmRungEarlyForgetsNothingAndIsSetAgain() {
    keep("c1", "r1", "ann");
    alarms.get(0).run();
    assertThat(forgotten).isEmpty();
    assertThat(kept.log("r1")).isNotNull();
    assertThat(alarms).hasSize(2);
  }

  @Test
  void aDeletedChatsRepliesAreForgottenAtOnce() {
    keep("doomed", "r1", "ann");
    keep("other", "r2", "ann");
    keep("doomed", "r3", "ann");
    kept.forgetChat(new ChatId("doomed"), "bob");
    assertThat(forgotten).as("only the chat's owner deletes it").isEmpty();
    kept.forgetChat(new ChatId("doomed"), "ann");
    assertThat(forgotten).containsExactly("r1", "r3");
    assertThat(kept.log("r1")).isNull();
    assertThat(kept.log("r3")).isNull();
    assertThat(kept.log("r2")).isNotNull();

    ringLastAlarm();
    assertThat(forgotten).as("each reply is forgotten once").containsExactly("r1", "r3", "r2");
  }

  @Test
  void aDeletedAccountsRepliesAreForgottenAtOnce() {
    keep("c1", "r1", "ann");
    keep("c2", "r2", "bob");
    keep("c3", "r3", "ann");
    kept.forgetOwner("ann");
    assertThat(forgotten).containsExactly("r1", "r3");
    assertThat(kept.size()).isEqualTo(1);
    assertThat(kept.log("r2")).isNotNull();
  }
}
