package parley.bench;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Side by side in one run, the same load sent straight to a fake model, to the Express peer and to
 * Parley (embedded store, and an external MongoDB-wire store): one stream at a time, bursts of
 * sends, and new exchanges arriving at fixed rates. Usage: {@code bench/run.sh [quick]}.
 * Environment: {@code PARLEY_BENCH_PEER} (the Express peer's directory, with its node_modules;
 * unset: no peer), {@code PARLEY_BENCH_JAVA} (the java that runs Parley), {@code
 * PARLEY_BENCH_JVM_ARGS} (flags for Parley's JVM, after those of conf/jvm.options), {@code PARLEY_BENCH_TARGETS} (names to keep:
 * direct,peer,parley,parley-mongo), {@code PARLEY_BENCH_SHAPES} (single,burst,rate), {@code
 * PARLEY_BENCH_WARM} (unmeasured short exchanges each target gets first; 100), and {@code
 * PARLEY_BENCH_ALT_JAVA}, {@code PARLEY_BENCH_ALT_JVM_ARGS} or {@code PARLEY_BENCH_ALT_ENV}
 * (space-separated {@code KEY=value} settings), which add a target "parley-alt": the embedded-store
 * Parley on that java, with those flags or with those settings.
 */
public final class BurstBenchmark {
  private static final int WARM_EXCHANGES = 100;
  /** The JVM options Parley is run with (an argument file of the java launcher). */
  static final Path JVM_OPTIONS = Path.of("conf", "jvm.options");
  /** Each exchange lasts a second (50 deltas, 20 ms apart). */
  private static final int SINGLE_EXCHANGES = 60;
  private static final int[] BURSTS = {50, 500, 1000};
  private static final long BURST_SPREAD_MS = 500;
  private static final int[] RATES = {20, 50, 100, 200};

  record Row(String shape, double x, Target target, Tally tally, double seconds, double serverCpuMs, double storeCpuMs,
      long peakRssMb, GcLog.Phase gc, Histogram clientDelay, double clientCpuMs) {
    double perExchange(double total) {
      return tally.completed.get() == 0 ? 0 : total / tally.completed.get();
    }
  }

  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    int rateSeconds = quick ? 10 : 60;
    int singles = quick ? 20 : SINGLE_EXCHANGES;
    int warmExchanges = Integer.parseInt(System.getenv().getOrDefault("PARLEY_BENCH_WARM", String.valueOf(WARM_EXCHANGES)));
    try (Rig rig = Rig.start("burst")) {
      LoadClient client = rig.client;
      Servers servers = rig.servers;
      List<Target> targets = servers.start(Rig.JAR);
      List<Row> rows = new ArrayList<>();
      for (Target target : targets) {
        System.out.println("Warming " + target.name() + "…");
        client.sequential(target, target.name() + "-warm", warmExchanges, 3, 1).await(300, TimeUnit.SECONDS);
      }
      String shapes = System.getenv().getOrDefault("PARLEY_BENCH_SHAPES", "single,burst,rate");
      for (Target target : shapes.contains("single") ? targets : List.<Target>of()) {
        rows.add(servers.measure("single", 1, target, client,
            () -> client.sequential(target, target.name() + "-single", singles, LoadClient.DELTAS, LoadClient.INTERVAL_MS)));
      }
      for (int burst : shapes.contains("burst") ? BURSTS : new int[0]) {
        for (Target target : targets) {
          rows.add(servers.measure("burst", burst, target, client, () -> client.spread(target, target.name() + "-b" + burst, burst,
              BURST_SPREAD_MS, LoadClient.DELTAS, LoadClient.INTERVAL_MS)));
        }
      }
      for (int rate : shapes.contains("rate") ? RATES : new int[0]) {
        for (Target target : targets) {
          rows.add(servers.measure("rate", rate, target, client, () -> client.spread(target, target.name() + "-r" + rate,
              rate * rateSeconds, rateSeconds * 1000L, LoadClient.DELTAS, LoadClient.INTERVAL_MS)));
        }
      }
      report(rows, targets, rateSeconds);
    }
  }

  /** The processes under test, and how one phase of load on one of them is measured. */
  static final class Servers {
    private final Path work;
    private final int modelPort;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, GcLog> gcLogs = new HashMap<>();
    private long storePid = -1;
    private Map<String, String> parleyEnv = Map.of();

    Servers(Path work, int modelPort) {
      this.work = work;
      this.modelPort = modelPort;
    }

    List<Target> start(Path jar) throws Exception {
      return start(jar, System.getenv().getOrDefault("PARLEY_BENCH_TARGETS", "direct,peer,parley,parley-mongo"), Map.of());
    }

    /** Starts the targets named in {@code keep}; {@code parleyEnv} goes to every Parley. */
    List<Target> start(Path jar, String keep, Map<String, String> parleyEnv) throws Exception {
      this.parleyEnv = parleyEnv;
      List<Target> targets = new ArrayList<>();
      if (keep.contains("direct")) {
        targets.add(new Target("direct", modelPort, false, -1, false));
      }
      int storePort = freePort();
      Process store = launch("store", List.of(java(System.getProperty("java.home")), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
          ExternalStore.class.getName(), String.valueOf(storePort)), Map.of());
      storePid = store.pid();
      awaitPort(storePort);
      String storeUri = "mongodb://127.0.0.1:" + storePort;
      String peer = System.getenv("PARLEY_BENCH_PEER");
      if (peer != null && !peer.isBlank() && keep.contains("peer")) {
        int port = freePort();
        Process node = launch("peer", List.of("node", Path.of(peer, "server.mjs").toString()), Map.of(
            "PARLEY_HTTP_PORT", String.valueOf(port), "PARLEY_LLM_BASE_URL", "http://127.0.0.1:" + modelPort + "/v1",
            "PARLEY_MONGO_URI", storeUri, "PARLEY_MONGO_DB", "peer"));
        awaitPort(port);
        targets.add(new Target("peer-express", port, true, node.pid(), true));
      }
      if (keep.matches(".*\\bparley\\b.*")) {
        targets.add(parley("parley", jar, Map.of()));
      }
      if (keep.contains("parley-mongo")) {
        targets.add(parley("parley-mongo", jar, Map.of("PARLEY_MONGO_URI", storeUri, "PARLEY_MONGO_DB", "parley")));
      }
      String altJava = System.getenv("PARLEY_BENCH_ALT_JAVA");
      String altArgs = System.getenv("PARLEY_BENCH_ALT_JVM_ARGS");
      String altEnv = System.getenv("PARLEY_BENCH_ALT_ENV");
      if (altJava != null || altArgs != null || altEnv != null) {
        // The same Parley on another JVM, with other flags or other settings, in the same run: what they buy.
        Map<String, String> settings = new HashMap<>();
        for (String setting : (altEnv == null ? "" : altEnv).trim().split("\\s+")) {
          int equals = setting.indexOf('=');
          if (equals > 0) {
            settings.put(setting.substring(0, equals), setting.substring(equals + 1));
          }
        }
        targets.add(parley("parley-alt", jar, Map.of(), altJava == null ? System.getenv("PARLEY_BENCH_JAVA") : altJava,
            altArgs == null ? System.getenv().getOrDefault("PARLEY_BENCH_JVM_ARGS", "") : altArgs, settings));
      }
      return targets;
    }

    private Target parley(String name, Path jar, Map<String, String> extra) throws Exception {
      return parley(name, jar, extra, System.getenv("PARLEY_BENCH_JAVA"), System.getenv().getOrDefault("PARLEY_BENCH_JVM_ARGS", ""),
          Map.of());
    }

    /** {@code overrides} win over every other setting, the benchmark's own environment's too. */
    Target parley(String name, Path jar, Map<String, String> extra, String javaHome, String jvmArgs,
        Map<String, String> overrides) throws Exception {
      int port = freePort();
      Path data = Files.createDirectories(work.resolve(name + "-data"));
      Path gc = work.resolve(name + "-gc.log");
      // Run as the README runs it, with the JVM options it ships; flags given here come after and win.
      List<String> command = new ArrayList<>(List.of(java(javaHome == null ? System.getProperty("java.home") : javaHome),
          "@" + JVM_OPTIONS.toAbsolutePath()));
      if (!jvmArgs.isBlank()) {
        command.addAll(List.of(jvmArgs.trim().split("\\s+")));
      }
      command.addAll(List.of("-Xlog:gc:file=" + gc, "-jar", jar.toString()));
      Map<String, String> env = new HashMap<>(Map.of(
          "PARLEY_HTTP_PORT", String.valueOf(port), "PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_DATA_DIR", data.toString(),
          "PARLEY_LLM_BASE_URL", "http://127.0.0.1:" + modelPort + "/v1",
          "PARLEY_MAX_STREAMS", "100000", "PARLEY_MAX_STREAMS_PER_IP", "100000", "PARLEY_MAX_CONNECTIONS_PER_IP", "100000",
          "PARLEY_LLM_IDLE_TIMEOUT_MS", "600000",
          // The peer writes no titles: a title is one more call to the model per new chat.
          "PARLEY_TITLE_MODEL", "none"));
      env.putAll(parleyEnv);
      env.putAll(extra);
      // PARLEY_* settings of the benchmark's own environment reach Parley (e.g. PARLEY_CHECKPOINT_MS).
      System.getenv().forEach((key, value) -> {
        if (key.startsWith("PARLEY_") && !key.startsWith("PARLEY_BENCH_")) {
          env.put(key, value);
        }
      });
      env.putAll(overrides);
      Process process = launch(name, command, env);
      awaitPort(port);
      gcLogs.put(name, new GcLog(gc));
      return new Target(name, port, true, process.pid(), extra.containsKey("PARLEY_MONGO_URI"));
    }

    private static String java(String home) {
      return Path.of(home, "bin", "java").toString();
    }

    private Process launch(String name, List<String> command, Map<String, String> env) throws IOException {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      processes.add(process);
      return process;
    }

    GcLog gcLog(String target) {
      return gcLogs.get(target);
    }

    Row measure(String shape, int x, Target target, LoadClient client, java.util.concurrent.Callable<io.vertx.core.Future<Tally>> load)
        throws Exception {
      client.closeIdle().await(10, TimeUnit.SECONDS);
      Thread.sleep(1000); // lets the previous phase's tail (stores, timers, GC) settle on the shared cores
      ProcessStats server = target.measured() ? new ProcessStats(target.pid()) : null;
      ProcessStats store = new ProcessStats(storePid);
      ProcessStats self = new ProcessStats(ProcessHandle.current().pid());
      GcLog gc = gcLogs.get(target.name());
      if (gc != null) {
        gc.mark();
      }
      AtomicLong peakRss = new AtomicLong(server == null ? 0 : server.rssKb());
      Histogram clientDelay = Tally.histogram();
      long[] expected = {System.nanoTime() + 5_000_000L};
      Vertx vertx = client.context().owner();
      long[] timers = new long[2];
      client.context().runOnContext(v -> timers[0] = vertx.setPeriodic(5, id -> {
        long now = System.nanoTime();
        Tally.record(clientDelay, Math.max(0, now - expected[0]) / 1000);
        expected[0] = now + 5_000_000L;
      }));
      timers[1] = vertx.setPeriodic(100, id -> {
        if (server != null) {
          try {
            peakRss.accumulateAndGet(server.rssKb(), Math::max);
          } catch (IOException gone) {
            // the process died: the phase reports its failures
          }
        }
      });
      long serverCpu = server == null ? 0 : server.cpuMillis();
      long storeCpu = store.cpuMillis();
      long clientCpu = self.cpuMillis();
      long started = System.nanoTime();
      Tally tally = load.call().await(600, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - started) / 1e9;
      vertx.cancelTimer(timers[0]);
      vertx.cancelTimer(timers[1]);
      Row row = new Row(shape, x, target, tally, seconds,
          server == null ? 0 : server.cpuMillis() - serverCpu,
          target.externalStore() ? store.cpuMillis() - storeCpu : 0,
          peakRss.get() / 1024, gc == null ? new GcLog.Phase(0, 0, 0) : gc.phase(), clientDelay, self.cpuMillis() - clientCpu);
      System.out.println(line(row));
      if (tally.firstFailure != null) {
        System.out.println("   first failure: " + tally.firstFailure);
      }
      return row;
    }

    /** Asks every process to stop (as a service manager does) and waits for each up to {@code seconds}. */
    void close(long seconds) {
      processes.forEach(Process::destroy);
      processes.forEach(process -> {
        try {
          process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void awaitPort(int port) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100); // a starting process has no event to wait on
      }
    }
    throw new IllegalStateException("nothing listens on port " + port);
  }

  private static String ms(Histogram histogram, double percentile) {
    double value = histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    return value >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
  }

  static final String HEADER = "| shape | target | first token p50 / p99 | POST answered p50 | delta p50 / p99 | receiving at once | server CPU ms per exchange "
      + "| store CPU ms per exchange | peak RSS MiB | longest GC pause ms | allocated KiB per exchange | lost / duplicated / failed "
      + "| client loop delay p99 / max, client CPU % |\n"
      + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

  static String line(Row row) {
    Tally t = row.tally();
    String shape = switch (row.shape()) {
      case "single" -> "1 stream";
      case "burst" -> String.format("burst of %,d", (int) row.x());
      default -> String.format("%d/s", (int) row.x());
    };
    return String.format("| %s | %s | %s / %s | %s | %s / %s | %,d | %s | %s | %s | %s | %s | %d / %d / %d | %s / %s, %.0f%% |",
        shape, row.target().name(), ms(t.firstToken, 50), ms(t.firstToken, 99),
        row.target().chat() ? ms(t.sendAnswered, 50) : "–", ms(t.delta, 50), ms(t.delta, 99),
        t.maxReceiving(),
        row.target().measured() ? String.format("%.2f", row.perExchange(row.serverCpuMs())) : "–",
        row.storeCpuMs() > 0 ? String.format("%.2f", row.perExchange(row.storeCpuMs())) : "–",
        row.target().measured() ? String.valueOf(row.peakRssMb()) : "–",
        row.gc().pauses() > 0 ? String.format("%.1f", row.gc().maxPauseMs()) : "–",
        row.gc().allocatedBytes() > 0 ? String.format("%,.0f", row.perExchange(row.gc().allocatedBytes() / 1024.0)) : "–",
        t.lost.get(), t.duplicated.get(), t.failed.get(),
        ms(row.clientDelay(), 99), ms(row.clientDelay(), 100), 100 * row.clientCpuMs() / 1000 / row.seconds());
  }

  private static void report(List<Row> rows, List<Target> targets, int rateSeconds) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores shared by every process, client Java ").append(System.getProperty("java.version"))
        .append(". Times in ms. Each reply: ").append(LoadClient.DELTAS).append(" deltas of ").append(StampingUpstream.DELTA_BYTES)
        .append(" bytes, ").append(LoadClient.INTERVAL_MS).append(" ms apart. Bursts start over ").append(BURST_SPREAD_MS)
        .append(" ms; arrival rates last ").append(rateSeconds).append(" s each.\n\n");
    md.append(HEADER);
    rows.forEach(row -> md.append(line(row)).append('\n'));
    Results.write("burst.md", md);
    Files.createDirectories(Path.of("docs"));
    plot(rows, targets, "burst", "Bursts: first token p50 (solid) and delta p99 (dashed)", "streams started within 0.5 s",
        "docs/bench-bursts");
    plot(rows, targets, "rate", "Arrivals: first token p50 (solid) and delta p99 (dashed)", "new exchanges per second",
        "docs/bench-arrivals");
    System.out.println("Wrote bench/results/burst.md, docs/bench-bursts.png and docs/bench-arrivals.png");
  }

  private static void plot(List<Row> rows, List<Target> targets, String shape, String title, String xTitle, String file) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle).yAxisTitle("ms").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisLogarithmic(true);
    Map<String, ToDoubleFunction<Row>> measures = new LinkedHashMap<>();
    measures.put("first token p50", row -> row.tally().firstToken.getValueAtPercentile(50) / 1000.0);
    measures.put("delta p99", row -> row.tally().delta.getValueAtPercentile(99) / 1000.0);
    for (Target target : targets) {
      List<Row> mine = rows.stream().filter(row -> row.shape().equals(shape) && row.target() == target).toList();
      if (mine.isEmpty()) {
        continue;
      }
      double[] x = mine.stream().mapToDouble(Row::x).toArray();
      measures.forEach((name, measure) -> {
        var series = chart.addSeries(target.name() + " " + name, x, mine.stream().mapToDouble(row -> Math.max(0.01, measure.applyAsDouble(row))).toArray());
        if (name.startsWith("delta")) {
          series.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f,
              new float[] {6f, 4f}, 0f));
        }
      });
    }
    BitmapEncoder.saveBitmap(chart, file, BitmapEncoder.BitmapFormat.PNG);
  }
}
