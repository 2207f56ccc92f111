package parley.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint journal keeps the latest text of each reply, survives a torn write and stays small. */
class CheckpointJournalTest {
  @TempDir
  Path dir;

  @Test
  void theLatestTextOfEachReplyIsRecoveredByANewProcess() {
    try (CheckpointJournal journal = CheckpointJournal.open(dir, 1 << 20)) {
      journal.append(Map.of("r1", "Hel", "r2", "Wor"));
      journal.append(Map.of("r1", "Hello\nthere \"you\""));
    }
    try (CheckpointJournal reopened = CheckpointJournal.open(dir, 1 << 20)) {
      assertThat(reopened.recover()).containsExactlyInAnyOrderEntriesOf(Map.of("r1", "Hello\nthere \"you\"", "r2", "Wor"));
    }
  }

  @Test
  void aLineTornByACrashIsSkippedAndTheOneBeforeStands() throws IOException {
    try (CheckpointJournal journal = CheckpointJournal.open(dir, 1 << 20)) {
      journal.append(Map.of("r1", "first part"));
    }
    Files.writeString(dir.resolve(CheckpointJournal.FILE_NAME), "{\"replyId\":\"r1\",\"content\":\"first part and mo",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (CheckpointJournal reopened = CheckpointJournal.open(dir, 1 << 20)) {
      assertThat(reopened.recover()).containsExactlyEntriesOf(Map.of("r1", "first part"));
      reopened.clear();
      reopened.append(Map.of("r2", "after the crash"));
      assertThat(reopened.recover()).containsExactlyEntriesOf(Map.of("r2", "after the crash"));
    }
  }

  @Test
  void pastItsSizeLimitTheFileKeepsOnlyRepliesStillRunning() throws IOException {
    Path file = dir.resolve(CheckpointJournal.FILE_NAME);
    try (CheckpointJournal journal = CheckpointJournal.open(dir, 4_096)) {
      for (int round = 1; round <= 200; round++) {
        Map<String, String> batch = new LinkedHashMap<>();
        for (int reply = round > 100 ? 1 : 0; reply < 5; reply++) {
          batch.put("r" + reply, "token ".repeat(round));
        }
        journal.append(batch);
        if (round == 100) {
          journal.ended("r0");
        }
      }
      assertThat(journal.latest("r0")).isNull();
      assertThat(journal.latest("r4")).isEqualTo("token ".repeat(200));
      // A rewrite holds four replies of 1,200 characters: the file stays near its limit.
      assertThat(Files.size(file)).isLessThan(4_096 + 5 * 1_300);
      Map<String, String> recovered = journal.recover();
      assertThat(recovered).containsEntry("r4", "token ".repeat(200)).containsEntry("r1", "token ".repeat(200)).doesNotContainKey("r0");
    }
  }
}
