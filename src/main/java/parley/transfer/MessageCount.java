package parley.transfer;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * How many messages a file holds, read from its tokens alone: the entries of each ChatGPT
 * conversation's {@code mapping} (a file's top-level array of conversations, or one conversation
 * alone) and the elements of each Parley chat's {@code messages}. Nothing is built; the parser's
 * own limits (nesting) apply as it goes, and anything after the first value is refused.
 */
final class MessageCount {
  private static final String ELEMENT = "[]";
  private static final List<String> CHATGPT_MAPPING = List.of(ELEMENT, "mapping");
  private static final List<String> LONE_MAPPING = List.of("mapping");
  private static final List<String> PARLEY_MESSAGES = List.of(ParleyFormat.CHATS, ELEMENT, ParleyFormat.MESSAGES);

  /** An open object or array: the path to it from the top, and whether its entries are messages. */
  private record Open(List<String> path, boolean array, boolean messages) {}

  private MessageCount() {}

  static long of(JsonParser parser) throws IOException {
    Deque<Open> open = new ArrayDeque<>();
    boolean topIsArray = false;
    String field = null;
    long count = 0;
    JsonToken token;
    while ((token = parser.nextToken()) != null) {
      Open inside = open.peek();
      if (token == JsonToken.FIELD_NAME) {
        field = parser.currentName();
        if (inside.messages()) {
          count++;
        }
        continue;
      }
      if (inside != null && inside.array() && inside.messages() && !token.isStructEnd()) {
        count++;
      }
      if (token.isStructStart()) {
        if (inside == null) {
          topIsArray = token == JsonToken.START_ARRAY;
        }
        List<String> path = new ArrayList<>(inside == null ? List.of() : inside.path());
        if (inside != null) {
          path.add(inside.array() ? ELEMENT : field);
        }
        open.push(new Open(path, token == JsonToken.START_ARRAY, holdsMessages(topIsArray, path, token)));
      } else if (token.isStructEnd()) {
        open.pop();
      }
      if (open.isEmpty()) {
        if (parser.nextToken() != null) {
          throw new JsonParseException(parser, "more follows the first JSON value");
        }
        return count;
      }
    }
    return count;
  }

  private static boolean holdsMessages(boolean topIsArray, List<String> path, JsonToken start) {
    if (start == JsonToken.START_OBJECT) {
      return topIsArray ? path.equals(CHATGPT_MAPPING) : path.equals(LONE_MAPPING);
    }
    return !topIsArray && path.equals(PARLEY_MESSAGES);
  }
}
