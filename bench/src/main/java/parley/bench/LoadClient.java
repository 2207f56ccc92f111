package parley.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The load: exchanges as a browser makes them, on keep-alive connections the client holds itself.
 * Through a chat server an exchange is {@code POST /api/messages}, then, on the same connection as
 * soon as it is answered, {@code GET /api/stream/:chatId}; straight to the model it is one
 * streaming {@code POST /v1/chat/completions}. Everything runs on one event loop, whose own delay
 * the benchmark reports, so that the client is seen not to be the bottleneck.
 */
final class LoadClient {
  /** Deltas per reply and their spacing: what the fake model is asked for. */
  static final int DELTAS = 50;
  static final long INTERVAL_MS = 20;

  private final Vertx vertx;
  private final Context context;
  private final HttpClientAgent http;
  /**
   * Connections kept between exchanges, by port, with when each was put back. One idle longer
   * than {@link #MAX_IDLE_NS} is closed rather than reused: servers close idle connections (Parley
   * after 60 s), and a request sent just as that happens would fail for the client's sake alone.
   */
  private final Map<Integer, ArrayDeque<Idle>> idle = new HashMap<>();
  private static final long MAX_IDLE_NS = 20_000_000_000L;

  private record Idle(HttpClientConnection connection, long since) {}

  LoadClient(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.http = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1));
  }

  Context context() {
    return context;
  }

  /** One exchange with the target, recorded in the tally; fails only for the tally's sake. */
  Future<Void> exchange(Target target, String chatId, int deltas, long intervalMs, Tally tally) {
    String order = "stream " + deltas + " " + intervalMs;
    tally.started.incrementAndGet();
    return connection(target.port()).compose(connection -> {
      Future<Void> done = target.chat()
          ? viaChat(connection, target, chatId, order, deltas, tally)
          : direct(connection, order, deltas, tally);
      return done.timeout(120, java.util.concurrent.TimeUnit.SECONDS).andThen(outcome -> {
        if (outcome.succeeded()) {
          release(target.port(), connection);
        } else {
          connection.close();
        }
      });
    }).andThen(outcome -> {
      if (outcome.succeeded()) {
        tally.completed.incrementAndGet();
      } else {
        tally.failed(outcome.cause());
      }
    });
  }

  /** {@code count} exchanges one after the other. */
  Future<Tally> sequential(Target target, String runId, int count, int deltas, long intervalMs) {
    Tally tally = new Tally();
    Promise<Tally> done = Promise.promise();
    context.runOnContext(v -> next(target, runId, 0, count, deltas, intervalMs, tally, done));
    return done.future();
  }

  private void next(Target target, String runId, int index, int count, int deltas, long intervalMs, Tally tally, Promise<Tally> done) {
    if (index == count) {
      done.complete(tally);
      return;
    }
    exchange(target, runId + "-" + index, deltas, intervalMs, tally)
        .onComplete(outcome -> next(target, runId, index + 1, count, deltas, intervalMs, tally, done));
  }

  /**
   * {@code count} exchanges starting at evenly spread moments over {@code spreadMs} (a burst when
   * the spread is short), or at {@code count / seconds} a second whatever the server does (an
   * open-loop arrival rate when the spread is long): the client never waits for the server to
   * start the next one.
   */
  Future<Tally> spread(Target target, String runId, int count, long spreadMs, int deltas, long intervalMs) {
    Tally tally = new Tally();
    Promise<Tally> done = Promise.promise();
    int[] finished = {0};
    long origin = System.nanoTime();
    int[] launched = {0};
    context.runOnContext(v -> {
      // One periodic tick launches whatever is due: thousands of one-shot timers would cost the client more.
      vertx.setPeriodic(1, tick -> {
        long elapsedNs = System.nanoTime() - origin;
        while (launched[0] < count && launched[0] * spreadMs * 1_000_000L / count <= elapsedNs) {
          int index = launched[0]++;
          exchange(target, runId + "-" + index, deltas, intervalMs, tally).onComplete(outcome -> {
            if (++finished[0] == count) {
              done.complete(tally);
            }
          });
        }
        if (launched[0] == count) {
          vertx.cancelTimer(tick);
        }
      });
    });
    return done.future();
  }

  /**
   * A subscriber that only watches: sends a reply that the model holds open after its first delta,
   * and keeps the SSE connection. Completes once that first delta has arrived.
   */
  Future<Void> idleWatcher(Target target, String chatId) {
    Promise<Void> watching = Promise.promise();
    context.runOnContext(v -> connection(target.port()).compose(connection -> connection
            .request(target.authorized(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/messages")
                .putHeader("Content-Type", "application/json")))
            .compose(request -> request.send(new JsonObject().put("chatId", chatId).put("content", "hold").put("sender", "user").toBuffer()))
            .compose(response -> response.body().compose(answer -> response.statusCode() == 201
                ? connection.request(target.authorized(new RequestOptions().setURI("/api/stream/" + chatId)))
                : Future.failedFuture("POST answered " + response.statusCode())))
            .compose(request -> request.send())
            .onSuccess(response -> response.handler(chunk -> watching.tryComplete())))
        .onFailure(watching::tryFail));
    return watching.future();
  }

  private Future<HttpClientConnection> connection(int port) {
    ArrayDeque<Idle> free = idle.computeIfAbsent(port, p -> new ArrayDeque<>());
    long now = System.nanoTime();
    for (Idle reused = free.poll(); reused != null; reused = free.poll()) {
      if (now - reused.since() < MAX_IDLE_NS) {
        return Future.succeededFuture(reused.connection());
      }
      reused.connection().close();
    }
    return http.connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(port));
  }

  private void release(int port, HttpClientConnection connection) {
    idle.computeIfAbsent(port, p -> new ArrayDeque<>()).push(new Idle(connection, System.nanoTime()));
  }

  /** Closes every idle connection (between targets, so that none holds the next one's sockets). */
  Future<Void> closeIdle() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> {
      idle.values().forEach(connections -> connections.forEach(kept -> kept.connection().close()));
      idle.clear();
      closed.complete();
    });
    return closed.future();
  }

  private Future<Void> viaChat(HttpClientConnection connection, Target target, String chatId, String order, int deltas,
      Tally tally) {
    long start = System.nanoTime();
    Buffer body = new JsonObject().put("chatId", chatId).put("content", order).put("sender", "user").toBuffer();
    return connection.request(target.authorized(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/messages")
            .putHeader("Content-Type", "application/json")))
        .compose(request -> request.send(body))
        .compose(response -> response.body().compose(answer -> response.statusCode() == 201
            ? Future.succeededFuture()
            : Future.failedFuture("POST answered " + response.statusCode() + ": " + answer)))
        .compose(v -> {
          Tally.record(tally.sendAnswered, (System.nanoTime() - start) / 1000);
          return connection.request(target.authorized(new RequestOptions().setURI("/api/stream/" + chatId)));
        })
        .compose(request -> request.send())
        .compose(response -> response.statusCode() == 200
            ? read(response, start, deltas, tally, true)
            : Future.failedFuture("SSE answered " + response.statusCode()));
  }

  private Future<Void> direct(HttpClientConnection connection, String order, int deltas, Tally tally) {
    long start = System.nanoTime();
    Buffer body = new JsonObject().put("model", "bench").put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", order))).toBuffer();
    return connection.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
            .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body))
        .compose(response -> read(response, start, deltas, tally, false));
  }

  /**
   * Reads one stream to its end. Through a chat server every delta has an {@code id:} (its
   * sequence number), so a gap or a repeat is counted; straight from the model, only the number
   * of deltas can be checked.
   */
  private Future<Void> read(HttpClientResponse response, long start, int expected, Tally tally, boolean sse) {
    Promise<Void> done = Promise.promise();
    Stream stream = new Stream(start, tally);
    RecordParser lines = RecordParser.newDelimited("\n", response);
    lines.handler(raw -> {
      long now = System.nanoTime();
      if (sse) {
        stream.sseLine(raw, now);
      } else {
        stream.modelLine(raw, now);
      }
    });
    lines.exceptionHandler(done::tryFail);
    lines.endHandler(v -> {
      stream.finish(expected);
      if (stream.ended) {
        done.tryComplete();
      } else {
        done.tryFail("the stream closed before its end");
      }
    });
    return done.future();
  }

  /** One stream being read. */
  private static final class Stream {
    private final long start;
    private final Tally tally;
    private long lastSeq;
    private long count;
    private boolean receiving;
    private boolean endNext;
    private boolean ended;

    Stream(long start, Tally tally) {
      this.start = start;
      this.tally = tally;
    }

    void sseLine(Buffer line, long now) {
      if (startsWith(line, "id: ")) {
        long seq = Long.parseLong(line.getString(4, line.length()).trim());
        if (seq <= lastSeq) {
          tally.duplicated.incrementAndGet();
        } else if (seq > lastSeq + 1) {
          tally.lost.addAndGet(seq - lastSeq - 1);
        }
        lastSeq = Math.max(lastSeq, seq);
      } else if (startsWith(line, "event: end")) {
        endNext = true;
      } else if (startsWith(line, "data: ")) {
        if (endNext) {
          ended = true;
        } else {
          delta(stampAt(line, 6), now);
        }
      }
    }

    void modelLine(Buffer line, long now) {
      if (!startsWith(line, "data: ")) {
        return;
      }
      if (startsWith(line, "data: [DONE]")) {
        ended = true;
        return;
      }
      String text = line.toString();
      int content = text.indexOf("\"content\":\"");
      if (content >= 0) {
        delta(stampAt(line, content + 11), now);
        lastSeq = count;
      }
    }

    private void delta(long stamp, long now) {
      count++;
      if (!receiving) {
        receiving = true;
        tally.startedReceiving();
        Tally.record(tally.firstToken, (now - start) / 1000);
      }
      Tally.record(tally.delta, (now - stamp) / 1000);
    }

    void finish(int expected) {
      if (receiving) {
        tally.stoppedReceiving();
      }
      if (lastSeq < expected) {
        tally.lost.addAndGet(expected - lastSeq);
      }
    }

    private static boolean startsWith(Buffer line, String prefix) {
      if (line.length() < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (line.getByte(i) != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** The model's nanoTime stamp that opens a delta's text. */
    private static long stampAt(Buffer line, int from) {
      long value = 0;
      for (int i = from; i < line.length(); i++) {
        byte b = line.getByte(i);
        if (b < '0' || b > '9') {
          break;
        }
        value = value * 10 + (b - '0');
      }
      return value;
    }
  }
}
