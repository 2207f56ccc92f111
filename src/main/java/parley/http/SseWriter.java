package parley.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import parley.chat.ReplyEvent;

/** Server-sent events as the standard writes them: the one place Parley writes SSE. */
final class SseWriter {
  static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");
  /** A reconnecting browser waits this long (ms) before it comes back with Last-Event-ID. */
  static final Buffer RETRY = Buffer.buffer("retry: 1000\n\n");
  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
  private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseWriter() {}

  /** The head of an event stream; proxies are asked not to buffer it. */
  static void open(HttpServerResponse response) {
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
  }

  /**
   * {@code id: <seq>} and the text, a {@code data:} line for each of its lines. Written once per
   * delta and subscriber: a one-line delta (most are a word or two) goes straight into the bytes
   * of its frame, its text encoded once, with no builder and no string of the frame.
   */
  static Buffer delta(ReplyEvent.Delta delta) {
    String text = delta.text();
    if (hasLineBreak(text)) {
      StringBuilder event = new StringBuilder(text.length() + 32);
      event.append("id: ").append(delta.seq()).append('\n');
      appendLines(event, text);
      return Buffer.buffer(event.append('\n').toString());
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    String seq = Long.toString(delta.seq());
    return Buffer.buffer(ID.length + seq.length() + DATA.length + utf8.length + END.length)
        .appendBytes(ID).appendString(seq).appendBytes(DATA).appendBytes(utf8).appendBytes(END);
  }

  static Buffer end(ReplyEvent.End end) {
    StringBuilder event = new StringBuilder("event: end\n");
    appendData(event, end.toSseData().encode());
    return Buffer.buffer(event.append('\n').toString());
  }

  private static boolean hasLineBreak(String text) {
    return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
  }

  private static void appendData(StringBuilder event, String text) {
    if (!hasLineBreak(text)) {
      event.append("data: ").append(text).append('\n');
      return;
    }
    appendLines(event, text);
  }

  private static void appendLines(StringBuilder event, String text) {
    for (String line : LINE_BREAK.split(text, -1)) {
      event.append("data: ").append(line).append('\n');
    }
  }
}
