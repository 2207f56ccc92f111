package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Fields as the server-sent events standard reads them, however the bytes are cut into chunks. */
class SseReaderTest {
  private static final int LIMIT = 1024;

  private record Seen(String id, String name, String data, String comment) {}

  private final List<Seen> events = new ArrayList<>();
  private final SseReader reader = new SseReader(SseReaderTest.collectInto(events), LIMIT);

  private static SseReader.Listener collectInto(List<Seen> events) {
    return event -> events.add(new Seen(event.id(), event.name(), event.data(), event.comment()));
  }

  private void feed(String... lines) {
    for (String line : lines) {
      reader.feed(Buffer.buffer(line + "\n"));
    }
  }

  @Test
  void oneLeadingSpaceOfAValueIsDropped() {
    feed("data:tight", "", "data: one", "", "data:  two", "", "data", "", "data:", "");
    assertThat(events).extracting(Seen::data).containsExactly("tight", "one", " two", "", "");
  }

  @Test
  void readsIdEventAndJoinedDataAndIgnoresOtherFields() {
    feed("id: 7\r", "event: end", "retry: 1000", "datum: no", "dat: no", "data: first", "data:second", "\r",
        "event", "data: x");
    reader.end();
    assertThat(events).containsExactly(new Seen("7", "end", "first\nsecond", null), new Seen(null, "", "x", null));
  }

  @Test
  void aCommentAloneIsAnEvent() {
    feed(": keep-alive", "", "", "id: 1", "");
    assertThat(events).containsExactly(new Seen(null, null, null, "keep-alive"));
  }

  @Test
  void theDataIsTheStreamsOwnBytes() {
    List<String> asBytes = new ArrayList<>();
    SseReader bytes = new SseReader(event ->
        asBytes.add(new String(event.dataBytes(), 0, event.dataLength(), StandardCharsets.UTF_8) + "|" + event.hasData()), LIMIT);
    bytes.feed(Buffer.buffer("data: é中 😀\ndata:\n\n: only a comment\n\ndata:\n\n"));
    assertThat(asBytes).containsExactly("é中 😀\n|true", "|false", "|true");
  }

  @Property(tries = 200)
  void chunksCutAnywhereReadAsOneChunk(@ForAll @Size(max = 12) List<@IntRange(min = 0, max = 400) Integer> cuts) {
    String stream = ": hello\r\n\r\nid: 1\r\nevent: delta\r\ndata: é中 😀 one\r\ndata: two\r\n\r\n"
        + "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n" + "data:" + "long ".repeat(60) + "\n\n"
        + "event: end\ndata: {\"status\":\"complete\"}\n\ndata: unterminated";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    List<Seen> whole = new ArrayList<>();
    SseReader oneChunk = new SseReader(collectInto(whole), LIMIT);
    oneChunk.feed(Buffer.buffer(bytes));
    oneChunk.end();

    List<Seen> cut = new ArrayList<>();
    SseReader pieces = new SseReader(collectInto(cut), LIMIT);
    int from = 0;
    for (int at : cuts.stream().map(c -> Math.min(c, bytes.length)).sorted().toList()) {
      pieces.feed(Buffer.buffer(bytes).getBuffer(from, at));
      from = at;
    }
    pieces.feed(Buffer.buffer(bytes).getBuffer(from, bytes.length));
    pieces.end();

    assertThat(whole).hasSize(6).last().isEqualTo(new Seen(null, null, "unterminated", null));
    assertThat(cut).isEqualTo(whole);
  }

  @Test
  void aLineOrAnEventPastTheLimitEndsTheReading() {
    assertThat(reader.feed(Buffer.buffer("data: " + "x".repeat(LIMIT - 6) + "\n\n"))).isTrue();
    assertThat(reader.feed(Buffer.buffer("data: " + "x".repeat(LIMIT)))).isFalse();
    assertThat(reader.feed(Buffer.buffer("\n\ndata: after\n\n"))).isFalse();
    reader.end();
    assertThat(events).extracting(Seen::data).containsExactly("x".repeat(LIMIT - 6));

    List<Seen> joined = new ArrayList<>();
    SseReader lines = new SseReader(collectInto(joined), LIMIT);
    String half = "data: " + "y".repeat(LIMIT / 2) + "\n";
    assertThat(lines.feed(Buffer.buffer(half))).isTrue();
    assertThat(lines.feed(Buffer.buffer(half))).as("two lines within the limit, their data past it").isFalse();
    lines.end();
    assertThat(joined).isEmpty();
  }

  @Test
  void aListenerThatThrowsLeavesTheReaderWhole() {
    List<String> seen = new ArrayList<>();
    SseReader throwing = new SseReader(event -> {
      seen.add(event.data());
      if (seen.size() == 1) {
        throw new IllegalStateException("the listener failed");
      }
    }, LIMIT);
    assertThatThrownBy(() -> throwing.feed(Buffer.buffer("data: a\r\n\r\n"))).isInstanceOf(IllegalStateException.class);
    throwing.feed(Buffer.buffer("data: b\r\n\r\ndata: c\n\n"));
    assertThat(seen).containsExactly("a", "b", "c");
  }
}
