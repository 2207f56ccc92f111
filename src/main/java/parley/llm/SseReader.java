package parley.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads server-sent events as the standard defines them, the one place Parley parses SSE: lines
 * end in {@code \n} or {@code \r\n}, a blank line dispatches the event, {@code data:} lines join
 * with a line break, a line starting with {@code :} is a comment.
 */
public final class SseReader {
  /** One event: any field may be null; {@code comment} is set for a comment-only event. */
  public record Event(String id, String name, String data, String comment) {}

  private final Consumer<Event> onEvent;
  private final List<String> data = new ArrayList<>(1);
  private String id;
  private String name;
  private String comment;

  public SseReader(Consumer<Event> onEvent) {
    this.onEvent = onEvent;
  }

  /** One line of the stream, without its {@code \n}. */
  public void line(String raw) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) {
      comment = line.substring(1).strip();
      return;
    }
    // Every upstream chunk passes here: the value is cut out once, and the field name not at all.
    int colon = line.indexOf(':');
    int fieldEnd = colon < 0 ? line.length() : colon;
    if (isField(line, fieldEnd, "data")) {
      data.add(value(line, colon));
    } else if (isField(line, fieldEnd, "event")) {
      name = value(line, colon);
    } else if (isField(line, fieldEnd, "id")) {
      id = value(line, colon);
    }
  }

  private static boolean isField(String line, int fieldEnd, String field) {
    return fieldEnd == field.length() && line.startsWith(field);
  }

  /** What follows the colon, without the one space that may lead it; empty for a line without a colon. */
  private static String value(String line, int colon) {
    if (colon < 0) {
      return "";
    }
    int start = colon + 1;
    if (start < line.length() && line.charAt(start) == ' ') {
      start++;
    }
    return line.substring(start);
  }

  /** The stream ended: an event not yet closed by a blank line still counts. */
  public void end() {
    dispatch();
  }

  private void dispatch() {
    if (!data.isEmpty() || comment != null) {
      String joined = switch (data.size()) {
        case 0 -> null;
        case 1 -> data.get(0);
        default -> String.join("\n", data);
      };
      onEvent.accept(new Event(id, name, joined, comment));
    }
    id = null;
    name = null;
    comment = null;
    data.clear();
  }
}
