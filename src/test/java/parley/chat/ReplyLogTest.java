package parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The replay log gives back exactly the deltas after a sequence number, and travels as JSON intact. */
class ReplyLogTest {

  @Test
  void numbersDeltasFromOneAndReplaysAfterAnySequenceNumber() {
    ReplyLog log = new ReplyLog("r1");
    assertThat(log.append("a").seq()).isEqualTo(1);
    assertThat(log.append("b").seq()).isEqualTo(2);
    assertThat(log.append("c").seq()).isEqualTo(3);
    assertThat(log.after(0).deltas()).extracting(ReplyEvent.Delta::text).containsExactly("a", "b", "c");
    assertThat(log.after(2).deltas()).extracting(ReplyEvent.Delta::seq).containsExactly(3L);
    assertThat(log.after(3).deltas()).isEmpty();
    assertThat(log.after(99).deltas()).isEmpty();
    assertThat(log.text()).isEqualTo("abc");
    assertThat(log.after(0).end()).isNull();
  }

  @Test
  void endsOnceAndTakesNoMoreText() {
    ReplyLog log = new ReplyLog("r1");
    log.append("x");
    ReplyEvent.End end = log.finish(MessageStatus.TERMINATED, null);
    assertThat(end.lastSeq()).isEqualTo(1);
    assertThat(log.finish(MessageStatus.COMPLETE, null)).isSameAs(end);
    assertThatThrownBy(() -> log.append("y")).isInstanceOf(IllegalStateException.class);
    assertThat(log.after(1).end()).isEqualTo(end);
  }

  @Test
  void replaysTheSameDeltasBeforeAndAfterItEnds() {
    ReplyLog log = new ReplyLog("r2");
    for (int i = 0; i < 200; i++) {
      log.append(i % 7 == 0 ? "" : "δ" + i + (i % 5 == 0 ? "\n" : " "));
    }
    ReplyLog.Snapshot whileStreaming = log.after(0);
    ReplyEvent.End end = log.finish(MessageStatus.COMPLETE, null);
    assertThat(log.after(0).deltas()).isEqualTo(whileStreaming.deltas());
    assertThat(log.after(150).deltas()).isEqualTo(whileStreaming.deltas().subList(150, 200));
    assertThat(end.lastSeq()).isEqualTo(200);
    assertThat(log.text()).isEqualTo(String.join("", whileStreaming.deltas().stream().map(ReplyEvent.Delta::text).toList()));
  }

  @Test
  void snapshotSurvivesItsJsonForm() {
    ReplyLog log = new ReplyLog("r9");
    log.append("line one\n");
    log.append("two");
    log.finish(MessageStatus.ERROR, "boom");
    ReplyLog.Snapshot snapshot = log.after(0);
    assertThat(ReplyLog.Snapshot.fromJson(snapshot.toJson())).isEqualTo(snapshot);
  }

  @Test
  void replaysDeltasOfEveryLengthOnceEnded() {
    ReplyLog log = new ReplyLog("r3");
    String[] pieces = {"", "a", "x".repeat(127), "y".repeat(128), "z".repeat(16_383), "w".repeat(16_384), "é", "v".repeat(300_000)};
    for (String piece : pieces) {
      log.append(piece);
    }
    ReplyLog.Snapshot whileStreaming = log.after(0);
    log.finish(MessageStatus.COMPLETE, null);
    assertThat(log.after(0).deltas()).isEqualTo(whileStreaming.deltas());
    assertThat(log.after(0).deltas()).extracting(ReplyEvent.Delta::text).containsExactly(pieces);
    assertThat(log.after(5).deltas()).extracting(ReplyEvent.Delta::text).containsExactly(pieces[5], pieces[6], pieces[7]);
    assertThat(log.text()).isEqualTo(String.join("", pieces));
  }
}
