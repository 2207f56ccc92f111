package parley.llm;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads the events of an OpenAI-compatible {@code /chat/completions} stream, as the bytes arrive,
 * and tells the listener about text, the end and errors.
 */
final class ChatCompletionDecoder {
  private final ModelBackend.Listener listener;
  private final SseReader events = new SseReader(this::event);
  private boolean finishSeen;
  private boolean done;

  ChatCompletionDecoder(ModelBackend.Listener listener) {
    this.listener = listener;
  }

  /** One line of the stream, without its {@code \n}. */
  void line(String raw) {
    if (!done) {
      events.line(raw);
    }
  }

  /** The upstream closed the stream: a complete reply has said so before. */
  void end() {
    if (done) {
      return;
    }
    events.end();
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

  private void event(SseReader.Event event) {
    if (done || event.data() == null) {
      return;
    }
    String payload = event.data();
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
    if (chunk.getValue("error") != null || "error".equals(event.name())) {
      finish("the model reported an error: " + errorText(chunk));
      return;
    }
    try {
      JsonObject usage = chunk.getJsonObject("usage");
      if (usage != null) {
        listener.onUsage(usage.getLong("prompt_tokens", 0L), usage.getLong("completion_tokens", 0L));
      }
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
