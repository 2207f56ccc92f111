package parley.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import parley.ParleyNode;
import parley.config.Settings;

/**
 * The send path without the cost of crossing processes: a Parley node, the fake model and the
 * client in one JVM, sends one at a time, each to a new chat. What is left is Parley's own work
 * (HTTP, event-bus hops, the embedded store's writes and durable commit) and the second request.
 * Usage: {@code bench/send-path.sh [sends]}; the first half of the sends warms the node up.
 */
public final class SendPathBenchmark {
  private SendPathBenchmark() {}

  public static void main(String[] args) throws Exception {
    int sends = args.length > 0 ? Integer.parseInt(args[0]) : 6_000;
    Vertx vertx = Vertx.vertx();
    StampingUpstream upstream = new StampingUpstream(vertx);
    int upstreamPort = upstream.start().await(10, TimeUnit.SECONDS);
    Path data = Files.createTempDirectory("parley-send-path");
    ParleyNode node = ParleyNode.start(vertx, Settings.defaultsWith(Map.of(
        "PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_HTTP_PORT", 0, "PARLEY_DATA_DIR", data.toString(),
        "PARLEY_LLM_BASE_URL", "http://127.0.0.1:" + upstreamPort + "/v1",
        "PARLEY_MAX_STREAMS_PER_IP", 100_000))).await(60, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(10));
    try {
      String order = "stream 1 1";
      new LoadRun(vertx, client).viaParley(node.httpPort(), sends / 2, order, "warm", true).await(600, TimeUnit.SECONDS);
      LoadRun.Result direct = new LoadRun(vertx, client).direct(upstreamPort, sends / 2, order, true).await(600, TimeUnit.SECONDS);
      LoadRun.Result relayed = new LoadRun(vertx, client).viaParley(node.httpPort(), sends / 2, order, "timed", true).await(600, TimeUnit.SECONDS);
      StringBuilder md = new StringBuilder();
      md.append("Send path in one JVM, run ").append(Instant.now()).append(", Java ").append(System.getProperty("java.version"))
          .append(": ").append(sends / 2).append(" sends one at a time after as many to warm up. Times in ms.\n\n");
      md.append("| | p50 | p90 | p99 |\n|---|---:|---:|---:|\n");
      row(md, "first token, direct to the model", direct.ttft());
      row(md, "first token through Parley (POST, then SSE)", relayed.ttft());
      row(md, "the send answered (POST → 201)", relayed.sendAnswered());
      md.append("\nFailed: ").append(direct.failed() + relayed.failed()).append(".\n");
      Path results = Path.of("bench", "results");
      Files.createDirectories(results);
      Files.writeString(results.resolve("send-path.md"), md);
      System.out.print(md);
      System.out.println("Wrote bench/results/send-path.md");
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void row(StringBuilder md, String name, Histogram histogram) {
    md.append("| ").append(name);
    for (double percentile : new double[] {50, 90, 99}) {
      md.append(" | ").append(String.format("%.2f", histogram.getValueAtPercentile(percentile) / 1000.0));
    }
    md.append(" |\n");
  }
}
