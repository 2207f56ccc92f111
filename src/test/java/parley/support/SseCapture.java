package parley.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import parley.llm.SseReader;

/** A test client for {@code GET /api/stream/:chatId} that parses events as a browser would. */
public final class SseCapture {
  public record Event(String id, String name, String data, String comment) {
    public boolean isEnd() {
      return "end".equals(name);
    }

    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final SseReader reader = new SseReader(this::event, 16 * 1024 * 1024);

  private final List<Event> events = new CopyOnWriteArrayList<>();
  /** When each event arrived (System.nanoTime), in step with {@link #events}. */
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private final Promise<List<Event>> done = Promise.promise();
  private final List<Waiter> waiters = new ArrayList<>();
  private HttpClientResponse response;

  private record Waiter(int count, Promise<Void> promise) {}

  public static Future<SseCapture> open(HttpClient client, int port, String chatId, Long lastEventId) {
    return open(client, port, chatId, lastEventId, Map.of());
  }

  /** With request headers of the caller's (a cookie, {@code Authorization}). */
  public static Future<SseCapture> open(HttpClient client, int port, String chatId, Long lastEventId,
      Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/api/stream/" + chatId);
    headers.forEach(options::putHeader);
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", String.valueOf(lastEventId));
    }
    SseCapture capture = new SseCapture();
    // The handlers are set by a listener of send()'s own future, which runs as the response
    // arrives: a listener further down the chain may run later, after a short stream has ended.
    return client.request(options).compose(request -> request.send().map(response -> {
      capture.response = response;
      response.handler(capture::feed);
      response.endHandler(v -> capture.done.tryComplete(List.copyOf(capture.events)));
      response.exceptionHandler(e -> capture.done.tryComplete(List.copyOf(capture.events)));
      return capture;
    }));
  }

  public int status() {
    return response.statusCode();
  }

  public MultiMap headers() {
    return response.headers();
  }

  /** Completes with every event once the server has ended the response. */
  public Future<List<Event>> done() {
    return done.future();
  }

  /** Completes once this many text events (deltas) have arrived. */
  public synchronized Future<Void> deltas(int count) {
    Promise<Void> promise = Promise.promise();
    waiters.add(new Waiter(count, promise));
    check();
    return promise.future();
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  /** When each event of {@link #events()} arrived, by {@link System#nanoTime()}. */
  public synchronized List<Long> arrivals() {
    return List.copyOf(arrivals);
  }

  /** Goes away as a closed tab does. */
  public void disconnect() {
    response.request().connection().close();
  }

  public static List<Event> deltasOf(List<Event> events) {
    return events.stream().filter(e -> e.name() == null && e.data() != null).toList();
  }

  public static String textOf(List<Event> events) {
    return deltasOf(events).stream().map(Event::data).collect(Collectors.joining());
  }

  public static Event endOf(List<Event> events) {
    return events.stream().filter(Event::isEnd).findFirst().orElseThrow(() -> new AssertionError("no end event in " + events));
  }

  private synchronized void feed(Buffer chunk) {
    reader.feed(chunk);
  }

  private synchronized void event(SseReader.Event event) {
    arrivals.add(System.nanoTime());
    events.add(new Event(event.id(), event.name(), event.data(), event.comment()));
    check();
  }

  private void check() {
    int deltas = deltasOf(events).size();
    waiters.removeIf(waiter -> {
      if (deltas >= waiter.count()) {
        waiter.promise().tryComplete();
        return true;
      }
      return false;
    });
  }
}
