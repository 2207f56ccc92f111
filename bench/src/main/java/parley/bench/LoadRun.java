package parley.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Streams through Parley or straight to the model, recording in microseconds each delta's latency
 * (receipt minus the model's send stamp), each stream's time to first token, and (through Parley)
 * how long each send took to be answered.
 */
final class LoadRun {
  record Result(Histogram deltas, Histogram ttft, Histogram sendAnswered, int failed) {}

  private final Vertx vertx;
  private final HttpClient client;
  private final Recorder deltas = new Recorder(3);
  private final Recorder ttft = new Recorder(3);
  private final Recorder sendAnswered = new Recorder(3);
  private final AtomicInteger failed = new AtomicInteger();
  /** Sent on both requests through Parley when set (a bearer token, with accounts); none by default. */
  private String authorization;

  LoadRun(Vertx vertx, HttpClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  /** Sends {@code Authorization: value} on the POST and the SSE request through Parley. */
  LoadRun authorization(String value) {
    this.authorization = value;
    return this;
  }

  private RequestOptions toParley(RequestOptions options) {
    return authorization == null ? options : options.putHeader("Authorization", authorization);
  }

  /** {@code streams} streams started within 200 ms, or one after the other when {@code sequential}. */
  Future<Result> viaParley(int parleyPort, int streams, String order, String runId, boolean sequential) {
    return run(streams, sequential, i -> {
      String chatId = runId + "-" + i;
      long start = System.nanoTime();
      return client.request(toParley(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(parleyPort)
              .setURI("/api/messages").putHeader("Content-Type", "application/json")))
          .compose(request -> request.send(new JsonObject().put("chatId", chatId).put("content", order).toBuffer()))
          .compose(response -> response.statusCode() == 201 ? response.body() : Future.failedFuture("POST " + response.statusCode()))
          .compose(created -> {
            sendAnswered.recordValue((System.nanoTime() - start) / 1000);
            return client.request(toParley(new RequestOptions().setHost("127.0.0.1").setPort(parleyPort).setURI("/api/stream/" + chatId)));
          })
          .compose(request -> request.send())
          .compose(response -> read(response, start,
              line -> line.startsWith("data: ") && !line.startsWith("data: {") ? line.substring(6) : null,
              line -> line.equals("event: end")));
    });
  }

  /** The same streams straight to the model: the physical limit of this machine and this client. */
  Future<Result> direct(int upstreamPort, int streams, String order, boolean sequential) {
    return run(streams, sequential, i -> {
      long start = System.nanoTime();
      JsonObject body = new JsonObject().put("model", "bench").put("stream", true)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", order)));
      return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(upstreamPort)
              .setURI("/v1/chat/completions").putHeader("Content-Type", "application/json"))
          .compose(request -> request.send(body.toBuffer()))
          .compose(response -> read(response, start,
              line -> line.startsWith("data: {")
                  ? new JsonObject(line.substring(6)).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content")
                  : null,
              line -> line.equals("data: [DONE]")));
    });
  }

  private Future<Void> read(HttpClientResponse response, long start, Function<String, String> stampOf, Predicate<String> isEnd) {
    Promise<Void> done = Promise.promise();
    boolean[] first = {true};
    RecordParser lines = RecordParser.newDelimited("\n", response);
    lines.handler(raw -> {
      long now = System.nanoTime();
      String line = raw.toString();
      String stamp = stampOf.apply(line);
      if (stamp != null && !stamp.isBlank()) {
        deltas.recordValue(Math.max(0, (now - Long.parseLong(stamp.trim().split(" ")[0])) / 1000));
        if (first[0]) {
          first[0] = false;
          ttft.recordValue((now - start) / 1000);
        }
      } else if (isEnd.test(line)) {
        done.tryComplete();
      }
    });
    lines.endHandler(v -> done.tryComplete());
    lines.exceptionHandler(done::tryFail);
    return done.future();
  }

  private Future<Result> run(int streams, boolean sequential, IntFunction<Future<Void>> stream) {
    Promise<Result> result = Promise.promise();
    AtomicInteger remaining = new AtomicInteger(streams);
    if (sequential) {
      next(0, streams, stream, result);
      return result.future();
    }
    for (int i = 0; i < streams; i++) {
      int index = i;
      vertx.setTimer(1 + (200L * i) / streams, id -> stream.apply(index).onComplete(outcome -> {
        if (outcome.failed()) {
          failed.incrementAndGet();
        }
        if (remaining.decrementAndGet() == 0) {
          result.complete(result());
        }
      }));
    }
    return result.future();
  }

  private void next(int index, int streams, IntFunction<Future<Void>> stream, Promise<Result> result) {
    if (index == streams) {
      result.complete(result());
      return;
    }
    stream.apply(index).onComplete(outcome -> {
      if (outcome.failed()) {
        failed.incrementAndGet();
      }
      next(index + 1, streams, stream, result);
    });
  }

  private Result result() {
    return new Result(deltas.getIntervalHistogram(), ttft.getIntervalHistogram(), sendAnswered.getIntervalHistogram(), failed.get());
  }
}
