package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import parley.chat.ErrorCode;
import parley.chat.Rejection;

/**
 * How many sends a node starts at once, and the ones waiting their turn, first come first served.
 * Starting a reply is the heavy part of a send (the chat's settings read, the store's writes and
 * its durable commit); a burst started all at once fills the event loops' queues with that work,
 * and the deltas of replies already streaming wait behind all of it. Started a few at a time, a
 * burst delays the new replies' first tokens, as it must, and not the running ones' deltas.
 *
 * <p>A send that has waited longer than the longest wait is refused when its turn comes, before
 * anything of it is stored: its caller is about to give up on it, and must not be told it failed
 * while it goes on. Used on one event loop; not thread-safe.
 */
final class SendGate {
  static final Rejection WAITED_TOO_LONG =
      new Rejection(ErrorCode.UNAVAILABLE, "too many sends are waiting to start, try again shortly");
  static final Rejection CLOSED = new Rejection(ErrorCode.UNAVAILABLE, "the node is stopping, try again shortly");

  private final int atOnce;
  private final long maxWaitNanos;
  /** Where a waiting send starts: the next turn of the event loop, so that a chain of turns never grows the stack. */
  private final Executor turns;
  private final LongSupplier nanoTime;
  private final ArrayDeque<Waiting<?>> waiting = new ArrayDeque<>();
  private int started;
  private boolean closed;

  private record Waiting<T>(Supplier<Future<T>> send, Promise<T> turn, long since) {}

  /**
   * @param atOnce sends started at once; 0 or less: no limit
   * @param maxWaitMs how long a send may wait for its turn
   * @param turns runs a waiting send's start on the gate's event loop, later
   * @param nanoTime the clock waits are measured with
   */
  SendGate(int atOnce, long maxWaitMs, Executor turns, LongSupplier nanoTime) {
    this.atOnce = atOnce <= 0 ? Integer.MAX_VALUE : atOnce;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
    this.turns = turns;
    this.nanoTime = nanoTime;
  }

  /** Starts the send now if there is room, or once the sends ahead of it have started. */
  <T> Future<T> enter(Supplier<Future<T>> send) {
    if (closed) {
      return Future.failedFuture(CLOSED);
    }
    if (started < atOnce && waiting.isEmpty()) {
      started++;
      return start(send);
    }
    Promise<T> turn = Promise.promise();
    waiting.add(new Waiting<>(send, turn, nanoTime.getAsLong()));
    return turn.future();
  }

  /** Sends started and not yet answered. */
  int started() {
    return started;
  }

  /** Sends waiting for their turn. */
  int waiting() {
    return waiting.size();
  }

  /** Refuses every waiting send and every later one: the node is stopping. */
  void close() {
    closed = true;
    for (Waiting<?> refused = waiting.poll(); refused != null; refused = waiting.poll()) {
      refused.turn().tryFail(CLOSED);
    }
  }

  /** Runs a send whose slot is taken; its answer hands the slot on. */
  private <T> Future<T> start(Supplier<Future<T>> send) {
    Future<T> answered;
    try {
      answered = send.get();
    } catch (RuntimeException e) {
      answered = Future.failedFuture(e);
    }
    return answered.andThen(done -> handOn());
  }

  /** To the oldest waiting send that has not waited too long (the others are refused), or back to the gate. */
  private void handOn() {
    long now = nanoTime.getAsLong();
    for (Waiting<?> next = waiting.poll(); next != null; next = waiting.poll()) {
      if (now - next.since() <= maxWaitNanos) {
        Waiting<?> chosen = next;
        turns.execute(() -> startWaiting(chosen));
        return;
      }
      next.turn().tryFail(WAITED_TOO_LONG);
    }
    started--;
  }

  private <T> void startWaiting(Waiting<T> next) {
    start(next.send()).onComplete(next.turn());
  }
}
