package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import parley.chat.MessageStatus;
import parley.chat.ReplyEvent;

/** Events are written as the SSE standard says, multi-line text included. */
class SseWriterTest {

  @Test
  void deltaHasItsSequenceNumberAsIdAndOneDataLinePerLine() {
    assertThat(SseWriter.delta(new ReplyEvent.Delta("r", 7, "a\nb\r\nc")).toString())
        .isEqualTo("id: 7\ndata: a\ndata: b\ndata: c\n\n");
    assertThat(SseWriter.delta(new ReplyEvent.Delta("r", 1, " lead")).toString()).isEqualTo("id: 1\ndata:  lead\n\n");
    assertThat(SseWriter.delta(new ReplyEvent.Delta("r", 2, "\n")).toString()).isEqualTo("id: 2\ndata: \ndata: \n\n");
    assertThat(SseWriter.delta(new ReplyEvent.Delta("r", 1234567890123L, "é中 😀")).toString(StandardCharsets.UTF_8))
        .isEqualTo("id: 1234567890123\ndata: é中 😀\n\n");
    assertThat(SseWriter.delta(new ReplyEvent.Delta("r", 3, "")).toString()).isEqualTo("id: 3\ndata: \n\n");
  }

  @Test
  void endCarriesStatusMessageIdAndError() {
    String end = SseWriter.end(new ReplyEvent.End("m1", MessageStatus.ERROR, "it broke", 3)).toString();
    assertThat(end).isEqualTo("event: end\ndata: {\"status\":\"error\",\"messageId\":\"m1\",\"error\":\"it broke\"}\n\n");
  }
}
