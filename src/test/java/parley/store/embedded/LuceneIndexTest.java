package parley.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.MessageStatus;
import parley.chat.Sender;
import parley.search.SearchTerms;

/** The index's own bookkeeping: when it can be trusted at the next start, and what a search of it finds. */
class LuceneIndexTest {
  @TempDir Path dataDir;

  private static ChatMessage message(String id, String chatId, String text, MessageStatus status) {
    return new ChatMessage(id, new ChatId(chatId), Sender.USER, text, status, Instant.parse("2026-01-02T03:04:05.678Z"));
  }

  @Test
  void aCleanCloseIsTrustedForTheSameStoreOnly() {
    LuceneIndex index = LuceneIndex.open(dataDir);
    assertThat(index.staleBecause("stamp-1")).isEqualTo("there is no search index yet");
    index.emptied("stamp-1");
    index.putMessage("u1", message("m1", "c1", "kept across restarts", MessageStatus.COMPLETE));
    index.close("stamp-1", true);

    LuceneIndex reopened = LuceneIndex.open(dataDir);
    try {
      assertThat(reopened.staleBecause("stamp-1")).isNull();
      assertThat(reopened.staleBecause("stamp-2")).isEqualTo("the store holds messages the search index has not seen");
      assertThat(reopened.staleBecause(null)).isEqualTo("the store holds messages the search index has not seen");
      assertThat(reopened.search("u1", SearchTerms.parse("restarts"), 10)).hasSize(1);
    } finally {
      reopened.close();
    }
  }

  @Test
  void anIndexLeftOpenByACrashIsNotTrusted() {
    LuceneIndex index = LuceneIndex.open(dataDir);
    index.emptied("stamp-1");
    index.close("stamp-1", true);
    LuceneIndex running = LuceneIndex.open(dataDir);
    running.opened("stamp-1");
    running.putMessage("u1", message("m1", "c1", "written after the last commit", MessageStatus.COMPLETE));
    // What a crash leaves: the commit made at open, nothing after it.
    running.close();
    LuceneIndex afterCrash = LuceneIndex.open(dataDir);
    try {
      assertThat(afterCrash.staleBecause("stamp-1")).isEqualTo("the search index was not closed cleanly");
    } finally {
      afterCrash.close();
    }
  }

  @Test
  void aRebuildCutShortIsNotTrusted() {
    LuceneIndex index = LuceneIndex.open(dataDir);
    index.emptied("stamp-1");
    index.close("stamp-1", false);
    LuceneIndex reopened = LuceneIndex.open(dataDir);
    try {
      assertThat(reopened.staleBecause("stamp-1")).isEqualTo("the search index was not closed cleanly");
    } finally {
      reopened.close();
    }
  }

  @Test
  void replacingAChatKeepsOnlyWhatCanBeFoundAndOwnersStayApart() {
    LuceneIndex index = LuceneIndex.open(dataDir);
    try {
      index.emptied("s");
      index.putMessage("u1", message("old", "c1", "an old lemur message", MessageStatus.COMPLETE));
      index.replaceChat("u1", new ChatId("c1"), "Lemur chat", List.of(
          message("m1", "c1", "lemur first", MessageStatus.COMPLETE),
          message("m2", "c1", "lemur still streaming", MessageStatus.STREAMING),
          message("m3", "c1", "   ", MessageStatus.COMPLETE)));
      index.putMessage("u2", message("m4", "c2", "someone else's lemur", MessageStatus.COMPLETE));
      assertThat(index.search("u1", SearchTerms.parse("lemur"), 10)).extracting(hit -> hit.messageId()).containsExactly("m1");
      assertThat(index.search("u1", SearchTerms.parse("chat"), 10)).extracting(hit -> hit.messageId()).containsExactly("m1");
      assertThat(index.search("u2", SearchTerms.parse("lemur"), 10)).extracting(hit -> hit.messageId()).containsExactly("m4");
      index.reassign("u1", "u3");
      assertThat(index.search("u1", SearchTerms.parse("lemur"), 10)).isEmpty();
      assertThat(index.search("u3", SearchTerms.parse("lemur"), 10)).extracting(hit -> hit.title()).containsExactly("Lemur chat");
      index.deleteUser("u3");
      assertThat(index.search("u3", SearchTerms.parse("lemur"), 10)).isEmpty();
      assertThat(index.documents()).isEqualTo(1);
    } finally {
      index.close();
    }
  }
}
