package parley.chat;

import io.vertx.core.json.JsonObject;

/**
 * What subscribers of {@code parley.chat.<chatId>.events} receive: the deltas of a reply, each with
 * its sequence number (1, 2, …), and then one end.
 */
public sealed interface ReplyEvent {
  String TYPE = "type";
  String REPLY_ID = "replyId";

  String replyId();

  JsonObject toJson();

  record Delta(String replyId, long seq, String text) implements ReplyEvent {
    static final String KIND = "delta";

    @Override
    public JsonObject toJson() {
      return new JsonObject().put(TYPE, KIND).put(REPLY_ID, replyId).put("seq", seq).put("text", text);
    }
  }

  /** The last event of a reply; {@code lastSeq} is the sequence number of its last delta (0 if none). */
  record End(String replyId, MessageStatus status, String error, long lastSeq) implements ReplyEvent {
    static final String KIND = "end";

    @Override
    public JsonObject toJson() {
      JsonObject json =
          new JsonObject().put(TYPE, KIND).put(REPLY_ID, replyId).put("status", status.wire()).put("lastSeq", lastSeq);
      if (error != null) {
        json.put("error", error);
      }
      return json;
    }

    /**
     * The data line of the SSE {@code end} event, as API.md gives it: its status is {@code
     * complete}, {@code terminated} or {@code error}, so a reply its node could not finish (stored
     * {@code interrupted}) ends the stream as an {@code error}, with the reason.
     */
    public JsonObject toSseData() {
      String streamStatus = status == MessageStatus.INTERRUPTED ? MessageStatus.ERROR.wire() : status.wire();
      JsonObject json = new JsonObject().put("status", streamStatus).put("messageId", replyId);
      if (error != null) {
        json.put("error", error);
      }
      return json;
    }
  }

  static ReplyEvent fromJson(JsonObject json) {
    String type = json.getString(TYPE);
    if (Delta.KIND.equals(type)) {
      return new Delta(json.getString(REPLY_ID), json.getLong("seq"), json.getString("text"));
    }
    if (End.KIND.equals(type)) {
      return new End(
          json.getString(REPLY_ID),
          Wire.required(MessageStatus.class, json.getString("status")),
          json.getString("error"),
          json.getLong("lastSeq", 0L));
    }
    throw new IllegalArgumentException("unknown reply event type: " + type);
  }
}
