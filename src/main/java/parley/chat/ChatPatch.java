package parley.chat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * A change to a chat's settings ({@code PATCH /api/chats/:chatId}), checked whole before anything
 * is written: a field left out stays as it is; {@code systemPrompt}, {@code model} and
 * {@code temperature} set to null go back to unset.
 */
public record ChatPatch(JsonObject changes) {
  public static final int MAX_TITLE_CHARS = 200;
  public static final int MAX_SYSTEM_PROMPT_CHARS = NewMessage.MAX_CONTENT_CHARS;
  public static final double MAX_TEMPERATURE = 2.0;
  private static final Set<String> FIELDS = Set.of(ChatSummary.TITLE, ChatSummary.SYSTEM_PROMPT, ChatSummary.MODEL,
      ChatSummary.TEMPERATURE, ChatSummary.PINNED, ChatSummary.ARCHIVED);

  public ChatPatch {
    changes = changes.copy();
  }

  public static ChatPatch fromJson(JsonObject body) {
    if (body == null) {
      throw Rejection.badRequest("the body must be a JSON object");
    }
    JsonObject changes = new JsonObject();
    for (Map.Entry<String, Object> field : body) {
      String name = field.getKey();
      Object value = field.getValue();
      switch (name) {
        case ChatSummary.TITLE -> changes.put(name, title(value));
        case ChatSummary.SYSTEM_PROMPT -> changes.put(name, systemPrompt(value));
        case ChatSummary.MODEL -> changes.put(name, ModelIds.optional(value));
        case ChatSummary.TEMPERATURE -> changes.put(name, temperature(value));
        case ChatSummary.PINNED, ChatSummary.ARCHIVED -> {
          if (!(value instanceof Boolean)) {
            throw Rejection.badRequest(name + " must be true or false");
          }
          changes.put(name, value);
        }
        default -> throw Rejection.badRequest("unknown field '" + name + "': a chat has " + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    return new ChatPatch(changes);
  }

  private static String title(Object value) {
    if (!(value instanceof String text)) {
      throw Rejection.badRequest("title must be a string");
    }
    String oneLine = text.strip().replaceAll("\\s+", " ");
    if (oneLine.isEmpty() || oneLine.length() > MAX_TITLE_CHARS) {
      throw Rejection.badRequest("title must be 1 to " + MAX_TITLE_CHARS + " characters");
    }
    return oneLine;
  }

  private static String systemPrompt(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw Rejection.badRequest("systemPrompt must be a string or null");
    }
    if (text.length() > MAX_SYSTEM_PROMPT_CHARS) {
      throw Rejection.badRequest("systemPrompt must be at most " + MAX_SYSTEM_PROMPT_CHARS + " characters");
    }
    return text.isBlank() ? null : text;
  }

  private static Double temperature(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number) || !(number.doubleValue() >= 0 && number.doubleValue() <= MAX_TEMPERATURE)) {
      throw Rejection.badRequest("temperature must be a number from 0 to " + MAX_TEMPERATURE + ", or null");
    }
    return number.doubleValue();
  }

  /** The model this change picks, or null when it picks none. */
  public String model() {
    return changes.getString(ChatSummary.MODEL);
  }

  public boolean renames() {
    return changes.containsKey(ChatSummary.TITLE);
  }
}
