package parley.http;

import io.vertx.core.buffer.Buffer;
import java.util.regex.Pattern;
import parley.chat.ReplyEvent;

/** Server-sent events as the standard writes them. */
final class SseFormat {
  static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");
  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  private SseFormat() {}

  /** {@code id: <seq>} and the text, a {@code data:} line for each of its lines. */
  static Buffer delta(ReplyEvent.Delta delta) {
    StringBuilder event = new StringBuilder(delta.text().length() + 24);
    event.append("id: ").append(delta.seq()).append('\n');
    appendData(event, delta.text());
    return Buffer.buffer(event.append('\n').toString());
  }

  static Buffer end(ReplyEvent.End end) {
    StringBuilder event = new StringBuilder("event: end\n");
    appendData(event, end.toSseData().encode());
    return Buffer.buffer(event.append('\n').toString());
  }

  private static void appendData(StringBuilder event, String text) {
    // Most deltas are a word or two: no pattern matching on the hot path for them.
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      event.append("data: ").append(text).append('\n');
      return;
    }
    for (String line : LINE_BREAK.split(text, -1)) {
      event.append("data: ").append(line).append('\n');
    }
  }
}
