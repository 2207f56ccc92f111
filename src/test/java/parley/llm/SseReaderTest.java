package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fields as the server-sent events standard reads them. */
class SseReaderTest {
  private final List<SseReader.Event> events = new ArrayList<>();
  private final SseReader reader = new SseReader(events::add);

  private void feed(String... lines) {
    for (String line : lines) {
      reader.line(line);
    }
  }

  @Test
  void oneLeadingSpaceOfAValueIsDropped() {
    feed("data:tight", "", "data: one", "", "data:  two", "", "data", "", "data:", "");
    assertThat(events).extracting(SseReader.Event::data).containsExactly("tight", "one", " two", "", "");
  }

  @Test
  void readsIdEventAndJoinedDataAndIgnoresOtherFields() {
    feed("id: 7\r", "event: end", "retry: 1000", "datum: no", "dat: no", "data: first", "data:second", "\r",
        "event", "data: x");
    reader.end();
    assertThat(events).containsExactly(
        new SseReader.Event("7", "end", "first\nsecond", null),
        new SseReader.Event(null, "", "x", null));
  }

  @Test
  void aCommentAloneIsAnEvent() {
    feed(": keep-alive", "", "", "id: 1", "");
    assertThat(events).containsExactly(new SseReader.Event(null, null, null, "keep-alive"));
  }
}
