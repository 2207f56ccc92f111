package parley.bench;

/**
 * One server the load is sent to. {@code chat} targets speak Parley's routes (POST, then SSE on the
 * same connection); the model itself is sent {@code /v1/chat/completions} directly. {@code pid} is
 * the process whose CPU and memory are counted (-1: none of its own, the model lives in the client);
 * {@code externalStore}: it keeps its messages in the external MongoDB-wire process, whose CPU is
 * then counted too.
 */
record Target(String name, int port, boolean chat, long pid, boolean externalStore) {
  boolean measured() {
    return pid > 0;
  }
}
