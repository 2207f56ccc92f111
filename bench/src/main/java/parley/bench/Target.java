package parley.bench;

import io.vertx.core.http.RequestOptions;

/**
 * One server the load is sent to. {@code chat} targets speak Parley's routes (POST, then SSE on the
 * same connection); the model itself is sent {@code /v1/chat/completions} directly. {@code pid} is
 * the process whose CPU and memory are counted (-1: none of its own, the model lives in the client);
 * {@code externalStore}: it keeps its messages in the external MongoDB-wire process, whose CPU is
 * then counted too. {@code authorization}: the value of the {@code Authorization} header sent on
 * every request to it (a bearer token when it has accounts), or null.
 */
record Target(String name, int port, boolean chat, long pid, boolean externalStore, String authorization) {
  Target(String name, int port, boolean chat, long pid, boolean externalStore) {
    this(name, port, chat, pid, externalStore, null);
  }

  boolean measured() {
    return pid > 0;
  }

  /** The options with this target's credential, when it has one. */
  RequestOptions authorized(RequestOptions options) {
    return authorization == null ? options : options.putHeader("Authorization", authorization);
  }
}
