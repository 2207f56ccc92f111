package parley.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM target's collector did during a phase, read from its {@code -Xlog:gc} file: the
 * longest pause, and how much the program allocated (heap before each collection minus heap
 * after the one before it).
 */
final class GcLog {
  private static final Pattern PAUSE = Pattern.compile("Pause .*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)[KMG]\\) ([\\d.]+)ms");

  record Phase(int pauses, double maxPauseMs, long allocatedBytes) {}

  private final Path file;
  private long offset;
  private long lastAfter = -1;

  GcLog(Path file) {
    this.file = file;
  }

  /** Forgets what came before: the next {@link #phase()} counts from here. */
  void mark() throws IOException {
    phase();
  }

  /** The collections logged since the last call. */
  Phase phase() throws IOException {
    if (!Files.exists(file)) {
      return new Phase(0, 0, 0);
    }
    String text;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      byte[] bytes = new byte[(int) (length - offset)];
      in.seek(offset);
      in.readFully(bytes);
      text = new String(bytes, StandardCharsets.UTF_8);
      int lastLine = text.lastIndexOf('\n') + 1;
      offset += text.substring(0, lastLine).getBytes(StandardCharsets.UTF_8).length;
      text = text.substring(0, lastLine);
    }
    int pauses = 0;
    double maxPause = 0;
    long allocated = 0;
    Matcher pause = PAUSE.matcher(text);
    while (pause.find()) {
      long before = bytes(pause.group(1), pause.group(2));
      long after = bytes(pause.group(3), pause.group(4));
      if (lastAfter >= 0) {
        allocated += Math.max(0, before - lastAfter);
      }
      lastAfter = after;
      pauses++;
      maxPause = Math.max(maxPause, Double.parseDouble(pause.group(6)));
    }
    return new Phase(pauses, maxPause, allocated);
  }

  private static long bytes(String number, String unit) {
    long value = Long.parseLong(number);
    return switch (unit) {
      case "K" -> value << 10;
      case "M" -> value << 20;
      default -> value << 30;
    };
  }
}
