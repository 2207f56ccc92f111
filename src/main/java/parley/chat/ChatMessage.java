package parley.chat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One stored message, as docs/API.md shows it; {@code usage} only on a reply the model reported it for. */
public record ChatMessage(
    String id, ChatId chatId, Sender sender, String content, MessageStatus status, Instant createdAt, TokenUsage usage) {

  public ChatMessage(String id, ChatId chatId, Sender sender, String content, MessageStatus status, Instant createdAt) {
    this(id, chatId, sender, content, status, createdAt, null);
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

  public static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant);
  }

  public ChatMessage withContent(String newContent) {
    return new ChatMessage(id, chatId, sender, newContent, status, createdAt, usage);
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
        TokenUsage.fromJson(json.getJsonObject(USAGE)));
  }
}
