package parley.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One stored message, as docs/API.md shows it; {@code usage} only on a reply the model reported it
 * for, {@code model} (the model's id) only on replies, {@code parentId} null for a chat's first
 * message, and {@code siblingIds} only on a message read as part of a path (null elsewhere).
 */
public record ChatMessage(
    String id, ChatId chatId, Sender sender, String content, MessageStatus status, Instant createdAt, TokenUsage usage,
    String parentId, String model, List<String> siblingIds) {

  public ChatMessage(String id, ChatId chatId, Sender sender, String content, MessageStatus status, Instant createdAt) {
    this(id, chatId, sender, content, status, createdAt, null, null, null, null);
  }

  public ChatMessage(String id, ChatId chatId, Sender sender, String content, MessageStatus status, Instant createdAt,
      TokenUsage usage) {
    this(id, chatId, sender, content, status, createdAt, usage, null, null, null);
  }

  /** Fixed width (always milliseconds) so that the text sorts as the instant does. */
  public static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  public static final String ID = "id";
  public static final String CHAT_ID = "chatId";
  public static final String SENDER = "sender";
  public static final String CONTENT = "content";
  public static final String STATUS = "status";
  public static final String CREATED_AT = "createdAt";
  public static final String USAGE = "usage";
  public static final String PARENT_ID = "parentId";
  public static final String MODEL = "model";
  public static final String SIBLING_IDS = "siblingIds";

  public static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant);
  }

  public ChatMessage withContent(String newContent) {
    return new ChatMessage(id, chatId, sender, newContent, status, createdAt, usage, parentId, model, siblingIds);
  }

  public ChatMessage withModel(String newModel) {
    return new ChatMessage(id, chatId, sender, content, status, createdAt, usage, parentId, newModel, siblingIds);
  }

  /** The message placed in its chat's tree: its parent, and the versions beside it. */
  public ChatMessage inTree(String parent, List<String> siblings) {
    return new ChatMessage(id, chatId, sender, content, status, createdAt, usage, parent, model, List.copyOf(siblings));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put(ID, id)
        .put(CHAT_ID, chatId.value())
        .put(SENDER, sender.wire())
        .put(CONTENT, content)
        .put(STATUS, status.wire())
        .put(CREATED_AT, timestamp(createdAt));
    if (usage != null) {
      json.put(USAGE, usage.toJson());
    }
    json.put(PARENT_ID, parentId);
    if (model != null) {
      json.put(MODEL, model);
    }
    if (siblingIds != null) {
      json.put(SIBLING_IDS, new JsonArray(siblingIds));
    }
    return json;
  }

  public static ChatMessage fromJson(JsonObject json) {
    return new ChatMessage(
        json.getString(ID),
        new ChatId(json.getString(CHAT_ID)),
        Wire.required(Sender.class, json.getString(SENDER)),
        json.getString(CONTENT),
        Wire.required(MessageStatus.class, json.getString(STATUS)),
        Instant.parse(json.getString(CREATED_AT)),
        TokenUsage.fromJson(json.getJsonObject(USAGE)),
        json.getString(PARENT_ID),
        json.getString(MODEL),
        json.containsKey(SIBLING_IDS) ? json.getJsonArray(SIBLING_IDS).stream().map(String.class::cast).toList() : null);
  }
}
