package parley.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Parley's overhead as a relay: the same streams (50 deltas, 20 ms apart) sent straight to a fast
 * fake model and sent through Parley (the packaged jar, its own process, embedded store), side by
 * side at rising concurrency, on this machine. Usage: {@code bench/run.sh [levels...]}.
 */
public final class RelayBenchmark {
  private static final int DELTAS = 50;
  private static final long INTERVAL_MS = 20;
  /** One short stream at a time, to measure the time to first token on a quiet node. */
  private static final String PROBE = "stream 3 " + INTERVAL_MS;
  private static final int PROBES = 200;
  private static final int WARM_SENDS = 3_000;
  private static final int IDLE_SUBSCRIBERS = 2000;

  record Row(int streams, LoadRun.Result direct, LoadRun.Result parley, double cpuPercent, long peakRssMb) {
    int failed() {
      return direct.failed() + parley.failed();
    }
  }

  /** Streams that the model holds until all {@code count} have started, then sends together. */
  private static String barrier(String name, int count) {
    return "stream " + DELTAS + " " + INTERVAL_MS + " " + name + " " + count;
  }

  public static void main(String[] args) throws Exception {
    int[] levels = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {100, 250, 500, 1000, 2000};
    Path jar = Path.of("target", "parley.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build Parley first: mvn -B package (expected " + jar.toAbsolutePath() + ")");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    StampingUpstream upstream = new StampingUpstream(vertx);
    int upstreamPort = upstream.start().await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(20_000).setMaxWaitQueueSize(-1));

    Path data = Files.createTempDirectory("parley-bench");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // e.g. PARLEY_BENCH_JVM_ARGS="-XX:StartFlightRecording=filename=parley.jfr" to profile the relay
    String jvmArgs = System.getenv().getOrDefault("PARLEY_BENCH_JVM_ARGS", "");
    if (!jvmArgs.isBlank()) {
      command.addAll(List.of(jvmArgs.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(data.resolve("parley.log").toFile());
    // PARLEY_* variables of the benchmark's own environment reach Parley (e.g. PARLEY_CHECKPOINT_MS).
    System.getenv().forEach((key, value) -> {
      if (key.startsWith("PARLEY_") && !key.startsWith("PARLEY_BENCH_")) {
        builder.environment().put(key, value);
      }
    });
    builder.environment().putAll(Map.of(
        "PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_HTTP_PORT", String.valueOf(port), "PARLEY_DATA_DIR", data.toString(),
        "PARLEY_LLM_BASE_URL", "http://127.0.0.1:" + upstreamPort + "/v1",
        "PARLEY_MAX_STREAMS", "100000", "PARLEY_MAX_STREAMS_PER_IP", "100000", "PARLEY_LLM_IDLE_TIMEOUT_MS", "600000"));
    Process parley = builder.start();
    try {
      awaitUp(client, port);
      ProcessStats stats = new ProcessStats(parley.pid());
      System.out.println("Warming up…");
      new LoadRun(vertx, client).direct(upstreamPort, 200, barrier("warm-d", 200), false).await(120, TimeUnit.SECONDS);
      new LoadRun(vertx, client).viaParley(port, 200, barrier("warm-p", 200), "warm", false).await(120, TimeUnit.SECONDS);
      // The send path is measured warm, as on a node that has been serving: JIT-compiled.
      new LoadRun(vertx, client).viaParley(port, WARM_SENDS, "stream 1 1", "warm-send", true).await(300, TimeUnit.SECONDS);
      new LoadRun(vertx, client).viaParley(port, 100, PROBE, "warm-probe", true).await(120, TimeUnit.SECONDS);

      LoadRun.Result directProbe = new LoadRun(vertx, client).direct(upstreamPort, PROBES, PROBE, true).await(120, TimeUnit.SECONDS);
      LoadRun.Result parleyProbe = new LoadRun(vertx, client).viaParley(port, PROBES, PROBE, "probe", true).await(120, TimeUnit.SECONDS);
      System.out.printf("TTFT one at a time: direct p50 %s p99 %s, Parley p50 %s p99 %s ms%n",
          ms(directProbe.ttft(), 50), ms(directProbe.ttft(), 99), ms(parleyProbe.ttft(), 50), ms(parleyProbe.ttft(), 99));

      List<Row> rows = new ArrayList<>();
      for (int streams : levels) {
        LoadRun.Result direct = new LoadRun(vertx, client).direct(upstreamPort, streams, barrier("d" + streams, streams), false)
            .await(300, TimeUnit.SECONDS);
        AtomicLong peakRss = new AtomicLong(stats.rssKb());
        long sampler = vertx.setPeriodic(100, id -> {
          try {
            peakRss.accumulateAndGet(stats.rssKb(), Math::max);
          } catch (Exception ignored) {
            // the process may be gone; the run reports it
          }
        });
        long cpuBefore = stats.cpuMillis();
        long started = System.nanoTime();
        LoadRun.Result relayed = new LoadRun(vertx, client).viaParley(port, streams, barrier("p" + streams, streams), "run" + streams, false)
            .await(300, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = 100.0 * (stats.cpuMillis() - cpuBefore) / 1000.0 / seconds;
        vertx.cancelTimer(sampler);
        Row row = new Row(streams, direct, relayed, cpu, peakRss.get() / 1024);
        rows.add(row);
        System.out.println(line(row));
      }
      long idleBytes = heapPerIdleSubscriber(vertx, client, port, stats);
      report(directProbe, parleyProbe, rows, idleBytes);
    } finally {
      parley.destroy();
      parley.waitFor(15, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitUp(HttpClient client, int port) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        int status = client.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/health"))
            .compose(request -> request.send()).map(response -> response.statusCode()).await(2, TimeUnit.SECONDS);
        if (status == 200) {
          return;
        }
      } catch (Exception notYet) {
        // still starting
      }
      Thread.sleep(200); // a starting process has no event to wait on
    }
    throw new IllegalStateException("Parley did not start");
  }

  /** Heap after GC with one reply held open, then with that many more SSE subscribers watching it. */
  private static long heapPerIdleSubscriber(Vertx vertx, HttpClient client, int port, ProcessStats stats) throws Exception {
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/api/messages")
            .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(new JsonObject().put("chatId", "idle").put("content", "hold").toBuffer()))
        .await(10, TimeUnit.SECONDS);
    long before = stats.heapUsedAfterGcKb();
    List<Future<?>> open = new ArrayList<>();
    List<io.vertx.core.http.HttpClientResponse> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < IDLE_SUBSCRIBERS; i++) {
      open.add(client.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/api/stream/idle"))
          .compose(request -> request.send())
          .map(response -> {
            responses.add(response);
            return response.statusCode();
          }));
    }
    Future.all(open).await(60, TimeUnit.SECONDS);
    long after = stats.heapUsedAfterGcKb();
    responses.forEach(response -> response.request().connection().close());
    long perSubscriber = (after - before) * 1024 / IDLE_SUBSCRIBERS;
    System.out.printf("Heap per idle SSE subscriber: %d bytes (%d KiB before, %d KiB after %d subscribers)%n",
        perSubscriber, before, after, IDLE_SUBSCRIBERS);
    return perSubscriber;
  }

  private static String ms(Histogram histogram, double percentile) {
    return String.format("%.2f", histogram.getValueAtPercentile(percentile) / 1000.0);
  }

  private static String line(Row row) {
    LoadRun.Result d = row.direct();
    LoadRun.Result p = row.parley();
    return String.format("| %,d | %s / %s / %s | %s / %s / %s | %s / %s | %.0f%% | %,d | %d |",
        row.streams(),
        ms(d.deltas(), 50), ms(d.deltas(), 99), ms(d.deltas(), 100),
        ms(p.deltas(), 50), ms(p.deltas(), 99), ms(p.deltas(), 100),
        ms(p.sendAnswered(), 50), ms(p.sendAnswered(), 99),
        row.cpuPercent(), row.peakRssMb(), row.failed());
  }

  private static void report(LoadRun.Result directProbe, LoadRun.Result parleyProbe, List<Row> rows, long idleBytes) throws Exception {
    StringBuilder md = new StringBuilder();
    md.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores (shared by Parley, the load client and the fake model), Java ").append(System.getProperty("java.version"))
        .append(". Times in ms.\n\n");
    md.append("Time to first token, ").append(PROBES).append(" streams one at a time on a quiet node, after ").append(WARM_SENDS).append(" sends to warm it up:\n\n");
    md.append("| | p50 | p99 |\n|---|---:|---:|\n");
    md.append("| direct to the model | ").append(ms(directProbe.ttft(), 50)).append(" | ").append(ms(directProbe.ttft(), 99)).append(" |\n");
    md.append("| through Parley (POST, then SSE) | ").append(ms(parleyProbe.ttft(), 50)).append(" | ").append(ms(parleyProbe.ttft(), 99)).append(" |\n");
    md.append(String.format("| **added by Parley** | **%+.2f** | **%+.2f** |%n",
        (parleyProbe.ttft().getValueAtPercentile(50) - directProbe.ttft().getValueAtPercentile(50)) / 1000.0,
        (parleyProbe.ttft().getValueAtPercentile(99) - directProbe.ttft().getValueAtPercentile(99)) / 1000.0));
    md.append("| of which: the send answered (POST → 201) | ").append(ms(parleyProbe.sendAnswered(), 50)).append(" | ")
        .append(ms(parleyProbe.sendAnswered(), 99)).append(" |\n\n");
    md.append("Concurrent streams, ").append(DELTAS).append(" deltas each, ").append(INTERVAL_MS)
        .append(" ms apart, all streaming at once (the model holds each until all have started):\n\n");
    md.append("| streams | per-delta direct p50 / p99 / max | per-delta Parley p50 / p99 / max | sends answered in the burst p50 / p99 | Parley CPU (of 200%) | Parley peak RSS MiB | failed |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    rows.forEach(row -> md.append(line(row)).append('\n'));
    md.append("\nHeap per idle SSE subscriber: ").append(idleBytes).append(" bytes (").append(IDLE_SUBSCRIBERS).append(" subscribers).\n");
    Path results = Path.of("bench", "results");
    Files.createDirectories(results);
    Files.writeString(results.resolve("latest.md"), md);
    System.out.println();
    System.out.println(md);

    XYChart chart = new XYChartBuilder().width(800).height(480).title("Per-delta latency against concurrent streams")
        .xAxisTitle("concurrent streams").yAxisTitle("ms").build();
    double[] x = rows.stream().mapToDouble(Row::streams).toArray();
    chart.addSeries("Parley p99", x, rows.stream().mapToDouble(r -> r.parley().deltas().getValueAtPercentile(99) / 1000.0).toArray());
    chart.addSeries("Parley p50", x, rows.stream().mapToDouble(r -> r.parley().deltas().getValueAtPercentile(50) / 1000.0).toArray());
    chart.addSeries("direct p99", x, rows.stream().mapToDouble(r -> r.direct().deltas().getValueAtPercentile(99) / 1000.0).toArray());
    chart.addSeries("direct p50", x, rows.stream().mapToDouble(r -> r.direct().deltas().getValueAtPercentile(50) / 1000.0).toArray());
    chart.getStyler().setYAxisLogarithmic(true);
    Files.createDirectories(Path.of("docs"));
    BitmapEncoder.saveBitmap(chart, "docs/bench-latency", BitmapEncoder.BitmapFormat.PNG);
    System.out.println("Wrote bench/results/latest.md and docs/bench-latency.png");
  }
}
