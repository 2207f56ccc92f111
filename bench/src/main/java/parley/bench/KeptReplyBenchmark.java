package parley.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import parley.ParleyNode;
import parley.config.Settings;
import parley.support.Poll;

/**
 * What a finished reply kept for replay costs the node that ran it, measured in one JVM: N
 * exchanges run to their end, the live heap is counted (a class histogram, which is taken after a
 * full GC), then the node is left to forget them (its replay retention is short enough to wait
 * for), and the live heap is counted again. The difference over N is the cost of one kept reply;
 * the difference per class shows what it is made of. Nothing else changes between the two counts:
 * the store keeps its messages in both. Usage: {@code bench/kept-replies.sh [replies] [retention
 * seconds]} (default 5,000 and 120: the retention must outlast the run and the first count).
 */
public final class KeptReplyBenchmark {
  private static final int CHAINS = 32;
  private static final long DELTA_INTERVAL_MS = 1;
  private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

  private KeptReplyBenchmark() {}

  /** One class's live instances and bytes. */
  private record Row(long instances, long bytes) {}

  /** A class histogram of the live heap (the JVM runs a full GC to take it), and its total. */
  private record Histogram(Map<String, Row> rows, long totalBytes) {
    /**
     * Takes one to a file: nothing of it stays in the heap for the next one to count (parsed, a
     * histogram is thousands of objects).
     */
    static Path takeTo(Path file) throws Exception {
      String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      return Files.writeString(file, text);
    }

    static Histogram read(Path file) throws Exception {
      String text = Files.readString(file);
      Map<String, Row> rows = new HashMap<>();
      long total = 0;
      for (String line : text.split("\n")) {
        Matcher row = HISTOGRAM_ROW.matcher(line);
        Matcher sum = HISTOGRAM_TOTAL.matcher(line);
        if (row.find()) {
          rows.merge(row.group(3), new Row(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
              (a, b) -> new Row(a.instances + b.instances, a.bytes + b.bytes));
        } else if (sum.find()) {
          total = Long.parseLong(sum.group(2));
        }
      }
      return new Histogram(rows, total);
    }

    long instancesOf(String prefix) {
      return rows.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().instances).sum();
    }
  }

  public static void main(String[] args) throws Exception {
    int replies = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    long retentionMs = (args.length > 1 ? Long.parseLong(args[1]) : 120) * 1000;
    Vertx vertx = Vertx.vertx();
    StampingUpstream upstream = new StampingUpstream(vertx);
    int upstreamPort = upstream.start().await(10, TimeUnit.SECONDS);
    Path data = Files.createTempDirectory("parley-kept");
    ParleyNode node = ParleyNode.start(vertx, Settings.defaultsWith(Map.of(
        "PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_HTTP_PORT", 0, "PARLEY_DATA_DIR", data.toString(),
        "PARLEY_LLM_BASE_URL", "http://127.0.0.1:" + upstreamPort + "/v1",
        "PARLEY_MAX_STREAMS_PER_IP", 100_000, "PARLEY_TITLE_MODEL", "none",
        "PARLEY_REPLAY_RETENTION_MS", retentionMs,
        // The load's idle connections stay open to the end: the two counts hold the same ones.
        "PARLEY_HTTP_IDLE_TIMEOUT_MS", retentionMs + 600_000))).await(60, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();
    try {
      LoadClient load = new LoadClient(vertx);
      Target parley = new Target("parley", node.httpPort(), true, -1, false);
      long started = System.nanoTime();
      Run run = run(load, parley, replies).await(30, TimeUnit.MINUTES);
      double runSeconds = (System.nanoTime() - started) / 1e9;
      Tally tally = run.tally;
      if (tally.failed.get() > 0 || tally.lost.get() > 0 || tally.duplicated.get() > 0) {
        throw new IllegalStateException("the run was not clean: " + tally.failed.get() + " failed (" + tally.firstFailure + "), "
            + tally.lost.get() + " lost, " + tally.duplicated.get() + " duplicated");
      }
      Path kept = Histogram.takeTo(data.resolve("kept.histogram"));
      long heapKept = heapUsedAfterGc();
      // Taken after the counts: the first reply to end, still replayed, was kept while they were taken.
      int firstStatus = streamStatus(client, node.httpPort(), run.firstEnded).await(30, TimeUnit.SECONDS);
      if (firstStatus != 200) {
        throw new IllegalStateException("the first reply was forgotten before the heap was counted (" + firstStatus
            + "): give a longer retention than " + retentionMs / 1000 + " s");
      }
      // The last reply to end is the last one forgotten.
      Poll.until(vertx, () -> streamStatus(client, node.httpPort(), run.lastEnded), status -> status == 204, retentionMs + 60_000)
          .await(retentionMs + 70_000, TimeUnit.MILLISECONDS);
      Path forgotten = Histogram.takeTo(data.resolve("forgotten.histogram"));
      long heapForgotten = heapUsedAfterGc();
      String md = report(replies, runSeconds, retentionMs, Histogram.read(kept), Histogram.read(forgotten), heapKept, heapForgotten);
      System.out.println("Wrote " + Results.write("kept-replies.md", md));
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** What the run leaves: its tally and the chats whose replies ended first and last. */
  private static final class Run {
    final Tally tally = new Tally();
    String firstEnded;
    String lastEnded;
  }

  /** The replies in {@value #CHAINS} chains of exchanges one after the other, each to a new chat. */
  private static Future<Run> run(LoadClient load, Target target, int replies) {
    Run run = new Run();
    Promise<Run> done = Promise.promise();
    int[] finished = {0};
    load.context().runOnContext(v -> {
      for (int chain = 0; chain < CHAINS; chain++) {
        chain(load, target, run, chain, chain, replies, () -> {
          if (++finished[0] == CHAINS) {
            done.complete(run);
          }
        });
      }
    });
    return done.future();
  }

  private static void chain(LoadClient load, Target target, Run run, int chain, int index, int replies, Runnable chainDone) {
    if (index >= replies) {
      chainDone.run();
      return;
    }
    String chatId = "kept-" + index;
    load.exchange(target, chatId, LoadClient.DELTAS, DELTA_INTERVAL_MS, run.tally).onComplete(outcome -> {
      // The stream closes after the end event: exchanges complete in the order their replies ended.
      if (run.firstEnded == null) {
        run.firstEnded = chatId;
      }
      run.lastEnded = chatId;
      chain(load, target, run, chain, index + CHAINS, replies, chainDone);
    });
  }

  private static Future<Integer> streamStatus(HttpClient client, int port, String chatId) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
            .setURI("/api/stream/" + chatId))
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode()));
  }

  private static long heapUsedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static String report(int replies, double runSeconds, long retentionMs, Histogram kept, Histogram forgotten,
      long heapKept, long heapForgotten) {
    int textBytes = LoadClient.DELTAS * StampingUpstream.DELTA_BYTES;
    double perReply = (double) (kept.totalBytes - forgotten.totalBytes) / replies;
    double perReplyHeap = (double) (heapKept - heapForgotten) / replies;
    StringBuilder md = new StringBuilder();
    md.append("Kept replies in one JVM, run ").append(Instant.now()).append(", Java ").append(System.getProperty("java.version"))
        .append(": ").append(replies).append(" replies of ").append(LoadClient.DELTAS).append(" deltas x ")
        .append(StampingUpstream.DELTA_BYTES).append(" bytes (").append(textBytes).append(" characters, Latin-1) run to their end in ")
        .append(String.format("%.1f", runSeconds)).append(" s, counted kept and again once forgotten (retention ")
        .append(retentionMs / 1000).append(" s).\n\n");
    md.append("| | bytes |\n|---|---:|\n");
    md.append(String.format("| live heap, kept (class histogram total) | %,d |%n", kept.totalBytes));
    md.append(String.format("| live heap, forgotten | %,d |%n", forgotten.totalBytes));
    md.append(String.format("| **per kept reply** (difference / %,d) | **%,.0f** |%n", replies, perReply));
    md.append(String.format("| per kept reply, heap used after System.gc() (MemoryMXBean) | %,.0f |%n", perReplyHeap));
    md.append(String.format("| the reply's text | %,d |%n", textBytes));
    md.append(String.format("| per kept reply / text | %.2f |%n", perReply / textBytes));
    md.append(String.format("| 60,000 kept replies (100 a second for 10 minutes) | %,.0f MiB |%n", perReply * 60_000 / (1 << 20)));
    md.append("\nWhat one kept reply holds: the classes whose live bytes differ by at least 4 bytes per reply, per reply.\n\n");
    md.append("| class | instances | bytes |\n|---|---:|---:|\n");
    Set<String> classes = new HashSet<>(kept.rows.keySet());
    classes.addAll(forgotten.rows.keySet());
    List<Map.Entry<String, Row>> differences = new ArrayList<>();
    for (String name : classes) {
      Row a = kept.rows.getOrDefault(name, new Row(0, 0));
      Row b = forgotten.rows.getOrDefault(name, new Row(0, 0));
      Row difference = new Row(a.instances - b.instances, a.bytes - b.bytes);
      if (Math.abs(difference.bytes) >= 4L * replies) {
        differences.add(Map.entry(name, difference));
      }
    }
    differences.sort((x, y) -> Long.compare(y.getValue().bytes, x.getValue().bytes));
    for (Map.Entry<String, Row> difference : differences) {
      md.append(String.format("| `%s` | %.2f | %,.0f |%n", difference.getKey(), (double) difference.getValue().instances / replies,
          (double) difference.getValue().bytes / replies));
    }
    md.append(String.format("%nparley.* instances: %,d once forgotten, %,d kept.%n", forgotten.instancesOf("parley."),
        kept.instancesOf("parley.")));
    return md.toString();
  }
}
