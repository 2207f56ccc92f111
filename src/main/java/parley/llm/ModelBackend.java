package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import parley.chat.ChatMessage;

/** A model that streams a reply: an OpenAI-compatible API, or the built-in demo. */
public interface ModelBackend {

  /** Starts a reply to the conversation; the listener is called on the caller's context. */
  ModelCall stream(List<ChatMessage> conversation, Listener listener);

  /** Human-readable, for the start-up log; never holds a secret. */
  String describe();

  default void close() {}

  /** Whether the model can be reached, cheaply (no reply is asked for): for /health. */
  default Future<JsonObject> ping() {
    return Future.succeededFuture(new JsonObject().put("model", describe()));
  }

  interface Listener {
    void onText(String piece);

    void onComplete();

    /** What the reply cost, when the model says (it comes before the end). */
    default void onUsage(long promptTokens, long completionTokens) {}

    /** The reason is shown to the person: readable, and free of secrets. */
    void onError(String reason);
  }

  /** A reply in progress. */
  interface ModelCall {
    /** Stops the reply and closes its upstream connection; no listener call follows. */
    void cancel();
  }
}
