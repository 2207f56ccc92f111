package parley.llm;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads server-sent events as the standard defines them, the one place Parley parses SSE: lines
 * end in {@code \n} or {@code \r\n}, a blank line dispatches the event, {@code data:} lines join
 * with a line break, a line starting with {@code :} is a comment.
 *
 * <p>It reads the bytes as they arrive, whatever the chunks' boundaries. A model's reply is one
 * event per token, so an event's data stays the stream's own UTF-8 bytes, copied into two buffers
 * the reader reuses (the line, then the event's data): a parser reads them where they are, and no
 * string is made of a line unless someone asks for one. A line or an event's data longer than the
 * limit given ends the reading: the stream is not what it claims to be, and its bytes would
 * otherwise be held without bound. Confined to one thread: not thread-safe.
 */
public final class SseReader {
  /** Told of each event; what it reads of the event is valid during the call only. */
  @FunctionalInterface
  public interface Listener {
    void onEvent(Event event);
  }

  /** The event being dispatched; any of its fields may be absent. */
  public interface Event {
    String id();

    String name();

    /** The text of the event's comment line (its last, if several), else null. */
    String comment();

    /** Whether the event had a {@code data:} line, even an empty one. */
    boolean hasData();

    /** The data lines joined with {@code \n}, as text; null without data. */
    String data();

    /** The data as UTF-8: the first {@link #dataLength()} bytes of this array, which the reader reuses. */
    byte[] dataBytes();

    int dataLength();
  }

  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);

  /** Buffers are given back to this size after a line or an event longer than {@link #KEPT_CAPACITY}. */
  private static final int INITIAL_CAPACITY = 256;
  private static final int KEPT_CAPACITY = 64 * 1024;

  private final Listener listener;
  private final int maxBytes;
  private final Event view = new View();
  private boolean tooLarge;
  private byte[] line = new byte[INITIAL_CAPACITY];
  private int lineLength;
  private byte[] data = new byte[INITIAL_CAPACITY];
  private int dataLength;
  private int dataLines;
  private String id;
  private String name;
  private String comment;

  /** {@code maxBytes}: the longest line, and the longest data of one event, the reader takes. */
  public SseReader(Listener listener, int maxBytes) {
    this.listener = listener;
    this.maxBytes = maxBytes;
  }

  /**
   * The next bytes of the stream; false once a line or an event has passed the limit, after which
   * nothing more is read.
   */
  public boolean feed(Buffer chunk) {
    int from = 0;
    int length = chunk.length();
    for (int at = 0; at < length; at++) {
      if (chunk.getByte(at) == '\n') {
        appendToLine(chunk, from, at);
        if (tooLarge) {
          return false;
        }
        endLine();
        from = at + 1;
      }
    }
    appendToLine(chunk, from, length);
    return !tooLarge;
  }

  /**
   * The stream ended: an event not yet closed by a blank line still counts, and so does a last
   * line without its {@code \n}.
   */
  public void end() {
    if (tooLarge) {
      return;
    }
    if (lineLength > 0) {
      endLine();
    }
    dispatch();
  }

  private void appendToLine(Buffer chunk, int from, int to) {
    int count = to - from;
    if (count == 0 || tooLarge) {
      return;
    }
    if (lineLength + count > maxBytes) {
      tooLarge = true;
      return;
    }
    line = room(line, lineLength + count);
    chunk.getBytes(from, to, line, lineLength);
    lineLength += count;
  }

  /** The line is read, then forgotten whatever the listener did: a line left behind by an exception would glue on the next. */
  private void endLine() {
    try {
      line();
    } finally {
      lineLength = 0;
      if (line.length > KEPT_CAPACITY) {
        line = new byte[INITIAL_CAPACITY];
      }
    }
  }

  private void line() {
    int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    if (length == 0) {
      dispatch();
      return;
    }
    if (line[0] == ':') {
      comment = text(line, 1, length).strip();
      return;
    }
    int colon = indexOf(line, length, (byte) ':');
    int fieldEnd = colon < 0 ? length : colon;
    int valueStart = colon < 0 ? length : colon + 1;
    if (valueStart < length && line[valueStart] == ' ') {
      valueStart++;
    }
    if (isField(fieldEnd, DATA)) {
      appendData(valueStart, length);
    } else if (isField(fieldEnd, EVENT)) {
      name = text(line, valueStart, length);
    } else if (isField(fieldEnd, ID)) {
      id = text(line, valueStart, length);
    }
  }

  private boolean isField(int fieldEnd, byte[] field) {
    return fieldEnd == field.length && Arrays.equals(line, 0, fieldEnd, field, 0, field.length);
  }

  private void appendData(int from, int to) {
    int count = to - from;
    int separator = dataLines > 0 ? 1 : 0;
    if (dataLength + separator + count > maxBytes) {
      tooLarge = true;
      return;
    }
    data = room(data, dataLength + separator + count);
    if (separator > 0) {
      data[dataLength++] = '\n';
    }
    System.arraycopy(line, from, data, dataLength, count);
    dataLength += count;
    dataLines++;
  }

  private void dispatch() {
    try {
      if (dataLines > 0 || comment != null) {
        listener.onEvent(view);
      }
    } finally {
      id = null;
      name = null;
      comment = null;
      dataLength = 0;
      dataLines = 0;
      if (data.length > KEPT_CAPACITY) {
        data = new byte[INITIAL_CAPACITY];
      }
    }
  }

  private static byte[] room(byte[] buffer, int needed) {
    return needed <= buffer.length ? buffer : Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
  }

  private static int indexOf(byte[] bytes, int length, byte wanted) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static String text(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }

  private final class View implements Event {
    @Override
    public String id() {
      return id;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String comment() {
      return comment;
    }

    @Override
    public boolean hasData() {
      return dataLines > 0;
    }

    @Override
    public String data() {
      return dataLines > 0 ? text(data, 0, dataLength) : null;
    }

    @Override
    public byte[] dataBytes() {
      return data;
    }

    @Override
    public int dataLength() {
      return dataLength;
    }
  }
}
