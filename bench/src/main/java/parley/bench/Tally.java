package parley.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * What one shape of load did to one target, as the client saw it: microseconds from the POST to
 * the first delta, each delta's latency (receipt minus the model's stamp), how many streams were
 * receiving at the same moment, and every delta lost or received twice. Touched only on the
 * client's one event loop.
 */
final class Tally {
  /** Up to an hour, in microseconds, three significant digits. */
  static final long HIGHEST_MICROS = 3_600_000_000L;

  final Histogram firstToken = histogram();
  final Histogram delta = histogram();
  final Histogram sendAnswered = histogram();
  final AtomicInteger started = new AtomicInteger();
  final AtomicInteger completed = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  final AtomicLong lost = new AtomicLong();
  final AtomicLong duplicated = new AtomicLong();
  private int receiving;
  private int maxReceiving;
  String firstFailure;

  void startedReceiving() {
    receiving++;
    maxReceiving = Math.max(maxReceiving, receiving);
  }

  void stoppedReceiving() {
    receiving--;
  }

  int maxReceiving() {
    return maxReceiving;
  }

  void failed(Throwable cause) {
    failed.incrementAndGet();
    if (firstFailure == null) {
      firstFailure = String.valueOf(cause.getMessage());
    }
  }

  static Histogram histogram() {
    return new Histogram(HIGHEST_MICROS, 3);
  }

  static void record(Histogram histogram, long micros) {
    histogram.recordValue(Math.max(0, Math.min(micros, HIGHEST_MICROS)));
  }
}
