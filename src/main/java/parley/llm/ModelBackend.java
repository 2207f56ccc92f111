package parley.llm;

import java.util.List;
import parley.chat.ChatMessage;

/**
 * A model, chosen and set up for one reply (which model, the chat's system prompt and temperature),
 * that streams it: what a {@link ReplyRun} calls.
 */
@FunctionalInterface
public interface ModelBackend {

  /** Starts a reply to the conversation; the listener is called on the caller's context. */
  ModelCall stream(List<ChatMessage> conversation, Listener listener);

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
