package parley.llm;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads the server-sent events of an OpenAI-compatible {@code /chat/completions} stream line by
 * line, as the bytes arrive, and tells the listener about text, the end and errors. Lines may end
 * in {@code \n} or {@code \r\n}; an event's data may span several {@code data:} lines.
 */
final class ChatCompletionDecoder {
  private final ModelBackend.Listener listener;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventName;
  private boolean finishSeen;
  private boolean done;

  ChatCompletionDecoder(ModelBackend.Listener listener) {
    this.listener = listener;
  }

  boolean isDone() {
    return done;
  }

  /** One line of the stream, without its {@code \n}. */
  void line(String raw) {
    if (done) {
      return;
    }
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (hasData) {
        data.append('\n');
      }
      data.append(value);
      hasData = true;
    } else if (field.equals("event")) {
      eventName = value;
    }
  }

  /** The upstream closed the stream: a complete reply has said so before. */
  void end() {
    if (done) {
      return;
    }
    dispatch();
    if (done) {
      return;
    }
    done = true;
    if (finishSeen) {
      listener.onComplete();
    } else {
      listener.onError("the model's stream ended before the reply was finished");
    }
  }

  private void dispatch() {
    if (!hasData) {
      eventName = null;
      return;
    }
    String payload = data.toString();
    String name = eventName;
    data.setLength(0);
    hasData = false;
    eventName = null;
    if (payload.equals("[DONE]")) {
      finish(null);
      return;
    }
    JsonObject chunk;
    try {
      chunk = new JsonObject(payload);
    } catch (DecodeException | ClassCastException e) {
      finish("the model sent a malformed chunk");
      return;
    }
    if (chunk.getValue("error") != null || "error".equals(name)) {
      finish("the model reported an error: " + errorText(chunk));
      return;
    }
    try {
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices == null || choices.isEmpty()) {
        return;
      }
      JsonObject choice = choices.getJsonObject(0);
      JsonObject delta = choice.getJsonObject("delta");
      String content = delta == null ? null : delta.getString("content");
      if (content != null && !content.isEmpty()) {
        listener.onText(content);
      }
      if (choice.getValue("finish_reason") != null) {
        finishSeen = true;
      }
    } catch (ClassCastException e) {
      finish("the model sent a malformed chunk");
    }
  }

  private void finish(String error) {
    done = true;
    if (error == null) {
      listener.onComplete();
    } else {
      listener.onError(error);
    }
  }

  static String errorText(JsonObject body) {
    Object error = body.getValue("error");
    if (error instanceof JsonObject object && object.getString("message") != null) {
      return object.getString("message");
    }
    if (error instanceof String text) {
      return text;
    }
    return body.encode();
  }
}
