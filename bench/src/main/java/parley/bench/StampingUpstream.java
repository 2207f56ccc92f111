package parley.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A fast OpenAI-compatible streaming model. Each delta's text starts with the {@code
 * System.nanoTime()} at which it was sent (the same clock in every process of this machine), so a
 * client knows each delta's latency exactly. The last user message says what to do:
 * {@code "stream N MS"} (N deltas, MS apart, the first at once) or {@code "hold"} (one delta, then
 * nothing).
 */
final class StampingUpstream {
  static final int DELTA_BYTES = 40;
  private final Vertx vertx;
  private HttpServer server;

  StampingUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Integer> start() {
    return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(this::handle)
        .listen(0, "127.0.0.1")
        .map(started -> {
          server = started;
          return started.actualPort();
        });
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      JsonArray messages = body.toJsonObject().getJsonArray("messages");
      String[] order = messages.getJsonObject(messages.size() - 1).getString("content").split(" ");
      if (!order[0].equals("hold") && !(order.length == 3 && order[0].equals("stream"))) {
        request.response().setStatusCode(400).end("{\"error\":{\"message\":\"say 'stream N MS' or 'hold'\"}}");
        return;
      }
      var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
      if (order[0].equals("hold")) {
        response.write(chunk(String.valueOf(System.nanoTime())));
        return;
      }
      int count = Integer.parseInt(order[1]);
      long intervalMs = Long.parseLong(order[2]);
      int[] sent = {1};
      response.write(chunk(stamp()));
      long timer = vertx.setPeriodic(intervalMs, id -> {
        if (sent[0]++ < count) {
          response.write(chunk(stamp()));
        } else {
          vertx.cancelTimer(id);
          response.end("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        }
      });
      response.closeHandler(v -> vertx.cancelTimer(timer));
    });
  }

  /** A delta of {@value #DELTA_BYTES} bytes: the time it was sent, padded as a model's few words would be. */
  private static String stamp() {
    StringBuilder text = new StringBuilder(DELTA_BYTES).append(System.nanoTime()).append(' ');
    while (text.length() < DELTA_BYTES) {
      text.append('x');
    }
    return text.toString();
  }

  private static String chunk(String text) {
    JsonObject delta = new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("delta", new JsonObject().put("content", text))));
    return "data: " + delta.encode() + "\n\n";
  }

  Future<Void> close() {
    return server.close();
  }
}
