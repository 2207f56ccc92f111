package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import parley.chat.ChatMessage;

/** Where models live: an OpenAI-compatible API, or the built-in demo. */
interface ModelProvider {
  /** The provider part of its models' ids. */
  String name();

  /** Starts a reply from one of this provider's models; the listener is called on the caller's context. */
  ModelBackend.ModelCall stream(ModelRequest request, List<ChatMessage> conversation, ModelBackend.Listener listener);

  /** The names of the models it offers now, as it lists them itself. */
  Future<List<String>> models();

  /** Human-readable, for the start-up log; never holds a secret. */
  String describe();

  /** Whether it can be reached, cheaply (no reply is asked for): for /health. */
  default Future<JsonObject> ping() {
    return Future.succeededFuture(new JsonObject().put("provider", describe()));
  }

  default void close() {}

  /** The same provider, set up for one reply. */
  default ModelBackend backend(ModelRequest request) {
    return (conversation, listener) -> stream(request, conversation, listener);
  }
}
