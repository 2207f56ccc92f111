package parley.bench;

import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Parley (embedded store) at a steady arrival rate for a long while, with idle subscribers
 * watching held replies beside it: is anything growing, is anything drifting? Every window it
 * records first-token and delta percentiles, failures, CPU and allocation per exchange, RSS, and
 * the heap after a full collection. Usage: {@code bench/soak.sh [minutes] [per second] [idle]}
 * (default 10 minutes, 20 a second, 300 idle subscribers). Replies are kept for replay for
 * {@value #RETENTION_S} s here (the default is 10 minutes) so that the kept set reaches its
 * plateau early: what a kept reply costs is its share of the plateau.
 */
public final class SoakBenchmark {
  static final int RETENTION_S = 120;
  private static final int WINDOW_S = 30;

  record Window(int second, Tally tally, double cpuMs, double allocatedKib, long rssMb, long heapAfterGcMb, double maxPauseMs) {}

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int idle = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    try (Rig rig = Rig.start("soak")) {
      LoadClient client = rig.client;
      BurstBenchmark.Servers servers = rig.servers;
      Target parley = servers.start(Rig.JAR, "parley", Map.of(
          "PARLEY_REPLAY_RETENTION_MS", String.valueOf(RETENTION_S * 1000L), "PARLEY_LLM_IDLE_TIMEOUT_MS", "86400000")).get(0);
      ProcessStats stats = new ProcessStats(parley.pid());
      GcLog gc = servers.gcLog(parley.name());
      client.sequential(parley, "warm", 100, 3, 1).await(300, TimeUnit.SECONDS);
      List<Future<Void>> watchers = new ArrayList<>();
      for (int i = 0; i < idle; i++) {
        watchers.add(client.idleWatcher(parley, "idle-" + i));
      }
      Future.all(watchers).await(120, TimeUnit.SECONDS);
      long heapAtStart = stats.heapUsedAfterGcKb() / 1024;
      System.out.printf("%d idle subscribers watching; heap after GC %d MiB; %d new exchanges a second for %d minutes%n",
          idle, heapAtStart, rate, minutes);
      gc.mark();
      List<Window> windows = new ArrayList<>();
      int windowsTotal = minutes * 60 / WINDOW_S;
      for (int w = 0; w < windowsTotal; w++) {
        long cpuBefore = stats.cpuMillis();
        Tally tally = client.spread(parley, "soak" + w, rate * WINDOW_S, WINDOW_S * 1000L, LoadClient.DELTAS, LoadClient.INTERVAL_MS)
            .await(WINDOW_S + 120, TimeUnit.SECONDS);
        double cpu = stats.cpuMillis() - cpuBefore;
        GcLog.Phase collected = gc.phase();
        long heap = stats.heapUsedAfterGcKb() / 1024;
        gc.phase(); // the full collection just asked for is not the program's
        Window window = new Window((w + 1) * WINDOW_S, tally, cpu / Math.max(1, tally.completed.get()),
            collected.allocatedBytes() / 1024.0 / Math.max(1, tally.completed.get()), stats.rssKb() / 1024, heap, collected.maxPauseMs());
        windows.add(window);
        System.out.println(line(window));
        if (tally.firstFailure != null) {
          System.out.println("   first failure: " + tally.firstFailure);
        }
      }
      report(windows, rate, idle, heapAtStart);
    }
  }

  private static String ms(org.HdrHistogram.Histogram histogram, double percentile) {
    return String.format("%.2f", histogram.getValueAtPercentile(percentile) / 1000.0);
  }

  private static String line(Window w) {
    Tally t = w.tally();
    return String.format("| %d | %s / %s | %s / %s | %d / %d / %d | %.2f | %,.0f | %d | %d | %.1f |", w.second(),
        ms(t.firstToken, 50), ms(t.firstToken, 99), ms(t.delta, 50), ms(t.delta, 99),
        t.lost.get(), t.duplicated.get(), t.failed.get(), w.cpuMs(), w.allocatedKib(), w.rssMb(), w.heapAfterGcMb(), w.maxPauseMs());
  }

  private static void report(List<Window> windows, int rate, int idle, long heapAtStart) throws Exception {
    StringBuilder md = new StringBuilder();
    md.append("Run ").append(Instant.now()).append(": Parley on its embedded store, ").append(rate)
        .append(" new exchanges a second (").append(LoadClient.DELTAS).append(" deltas of ").append(StampingUpstream.DELTA_BYTES)
        .append(" bytes, ").append(LoadClient.INTERVAL_MS).append(" ms apart), ").append(idle)
        .append(" idle subscribers watching held replies, replay kept ").append(RETENTION_S).append(" s; heap after a full GC before the load: ")
        .append(heapAtStart).append(" MiB. One row per ").append(WINDOW_S).append(" s.\n\n");
    md.append("| second | first token p50 / p99 ms | delta p50 / p99 ms | lost / duplicated / failed | CPU ms per exchange "
        + "| allocated KiB per exchange | RSS MiB | heap after full GC MiB | longest GC pause ms |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    windows.forEach(w -> md.append(line(w)).append('\n'));
    Results.write("soak.md", md);
    XYChart chart = new XYChartBuilder().width(900).height(480).title("Soak: memory and first-token p99 over time")
        .xAxisTitle("seconds").yAxisTitle("MiB / ms").build();
    double[] x = windows.stream().mapToDouble(Window::second).toArray();
    chart.addSeries("RSS MiB", x, windows.stream().mapToDouble(Window::rssMb).toArray());
    chart.addSeries("heap after full GC MiB", x, windows.stream().mapToDouble(Window::heapAfterGcMb).toArray());
    chart.addSeries("first token p99 ms", x, windows.stream().mapToDouble(w -> w.tally().firstToken.getValueAtPercentile(99) / 1000.0).toArray());
    Files.createDirectories(Path.of("docs"));
    BitmapEncoder.saveBitmap(chart, "docs/bench-soak", BitmapEncoder.BitmapFormat.PNG);
    System.out.println("Wrote bench/results/soak.md and docs/bench-soak.png");
  }
}
