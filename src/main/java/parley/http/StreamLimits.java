package parley.http;

import java.util.HashMap;
import java.util.Map;

/** How many SSE streams are open, on this node and per client address; confined to one event loop. */
final class StreamLimits {
  private final int maxTotal;
  private final int maxPerClient;
  private final Map<String, Integer> perClient = new HashMap<>();
  private int total;

  StreamLimits(int maxTotal, int maxPerClient) {
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
  }

  /** Takes a place for the client, or says why there is none (null when taken). */
  String tryAcquire(String client) {
    if (total >= maxTotal) {
      return "this server has " + total + " streams open, its limit: try again shortly";
    }
    int mine = perClient.getOrDefault(client, 0);
    if (mine >= maxPerClient) {
      return "you have " + mine + " streams open, the limit per client: close some first";
    }
    total++;
    perClient.put(client, mine + 1);
    return null;
  }

  void release(String client) {
    total--;
    perClient.computeIfPresent(client, (key, count) -> count > 1 ? count - 1 : null);
  }
}
