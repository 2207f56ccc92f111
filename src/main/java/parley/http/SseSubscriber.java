package parley.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.chat.ReplyEvent;
import parley.chat.ReplyLog;
import parley.llm.ReplyClient;

/**
 * One SSE connection watching one chat's reply. It listens to the chat's events first, then asks
 * the reply's node for what came before, and joins the two by sequence number, so the person sees
 * every delta once. Going away only stops the watching: the reply goes on.
 */
final class SseSubscriber {
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final ChatId chatId;
  private final String userId;
  private final ReplyClient replies;
  private final long keepAliveMs;
  private final int maxPending;
  private final List<ReplyEvent> heldWhileReplaying = new ArrayList<>();
  private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
  private MessageConsumer<JsonObject> consumer;
  private String replyId;
  private long lastWritten;
  private boolean live;
  private boolean closed;
  /** When the stream last wrote anything (System.nanoTime): a keep-alive is due one interval after. */
  private long lastWroteAt;
  private long keepAliveTimer = -1;

  SseSubscriber(Vertx vertx, HttpServerResponse response, ChatId chatId, String userId, ReplyClient replies, long keepAliveMs,
      int maxPending) {
    this.vertx = vertx;
    this.response = response;
    this.chatId = chatId;
    this.userId = userId;
    this.replies = replies;
    this.keepAliveMs = keepAliveMs;
    this.maxPending = maxPending;
  }

  /**
   * Succeeds with false when there is no reply to show (the caller answers 204): none kept, or
   * the chat is someone else's.
   */
  Future<Boolean> start(long lastEventId) {
    return replies.latest(chatId, userId).compose(entry -> {
      if (entry == null) {
        return Future.succeededFuture(false);
      }
      replyId = entry.replyId();
      consumer = vertx.eventBus().consumer(Addresses.events(chatId), message -> onEvent(ReplyEvent.fromJson(message.body())));
      return consumer.completion()
          .compose(v -> replies.replay(entry, lastEventId))
          .compose(snapshot -> {
            if (snapshot == null) {
              return consumer.unregister().map(false);
            }
            open(lastEventId, snapshot);
            return Future.succeededFuture(true);
          }, failure -> consumer.unregister().transform(v -> Future.failedFuture(failure)));
    });
  }

  private void open(long lastEventId, ReplyLog.Snapshot snapshot) {
    SseWriter.open(response);
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
    response.drainHandler(v -> flushPending());
    lastWritten = lastEventId;
    write(SseWriter.RETRY);
    snapshot.deltas().forEach(this::deliver);
    if (snapshot.end() != null) {
      deliver(snapshot.end());
    }
    live = true;
    heldWhileReplaying.forEach(this::deliver);
    heldWhileReplaying.clear();
    if (!closed) {
      keepAliveAfter(keepAliveMs);
    }
  }

  private void onEvent(ReplyEvent event) {
    if (closed) {
      return;
    }
    if (live) {
      deliver(event);
    } else {
      heldWhileReplaying.add(event);
    }
  }

  private void deliver(ReplyEvent event) {
    if (closed || !event.replyId().equals(replyId)) {
      return;
    }
    if (event instanceof ReplyEvent.Delta delta) {
      if (delta.seq() <= lastWritten) {
        return;
      }
      if (delta.seq() != lastWritten + 1) {
        // A gap: drop the connection rather than skip text; the browser resumes from lastWritten.
        close();
        return;
      }
      write(SseWriter.delta(delta));
      lastWritten = delta.seq();
    } else if (event instanceof ReplyEvent.End end) {
      if (end.lastSeq() > lastWritten) {
        close();
        return;
      }
      write(SseWriter.end(end));
      close();
    }
  }

  /**
   * A comment once the stream has been idle a whole interval, so that no idle stretch lasts longer
   * (a periodic tick that skipped whenever something had been written since the last tick let it
   * grow to almost two intervals).
   */
  private void keepAlive() {
    long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastWroteAt);
    if (idleMs >= keepAliveMs) {
      write(SseWriter.KEEP_ALIVE);
      idleMs = 0;
    }
    if (!closed) {
      keepAliveAfter(keepAliveMs - idleMs);
    }
  }

  private void keepAliveAfter(long delayMs) {
    keepAliveTimer = vertx.setTimer(Math.max(1, delayMs), id -> keepAlive());
  }

  /**
   * A subscriber that cannot keep up gets its events held here, up to a bound; past it the
   * connection is closed and the browser resumes with Last-Event-ID. The reply never waits.
   */
  private void write(Buffer event) {
    if (closed) {
      return;
    }
    lastWroteAt = System.nanoTime();
    if (!pending.isEmpty() || response.writeQueueFull()) {
      if (pending.size() >= maxPending) {
        abort();
        return;
      }
      pending.add(event);
      return;
    }
    response.write(event);
  }

  private void flushPending() {
    while (!closed && !pending.isEmpty() && !response.writeQueueFull()) {
      response.write(pending.poll());
    }
  }

  /** Ends the response: the browser reconnects if it has not seen the end event. */
  void close() {
    if (release() && !response.ended() && !response.closed()) {
      response.end();
    }
  }

  /**
   * Drops the connection: an end could never reach a client that does not read, and the
   * connection would stay open holding its buffers.
   */
  private void abort() {
    if (release() && !response.closed()) {
      response.reset();
    }
  }

  private boolean release() {
    if (closed) {
      return false;
    }
    closed = true;
    pending.clear();
    if (keepAliveTimer >= 0) {
      vertx.cancelTimer(keepAliveTimer);
    }
    if (consumer != null) {
      consumer.unregister();
    }
    return true;
  }
}
