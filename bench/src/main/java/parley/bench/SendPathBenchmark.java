package parley.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
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
 *
 * <p>With {@code PARLEY_BENCH_AUTH=local} in its environment the node has accounts
 * ({@code PARLEY_AUTH=local}): the benchmark signs up the first account, makes an API token with
 * its session, and sends {@code Authorization: Bearer <token>} on every POST and SSE request. The
 * per-user limits are then set out of the way ({@code PARLEY_USER_SENDS_PER_MINUTE} 1,000,000 and
 * {@code PARLEY_USER_MAX_ACTIVE_REPLIES} 1,000 unless those variables say otherwise): one user sends
 * everything here.
 */
public final class SendPathBenchmark {
  private SendPathBenchmark() {}

  public static void main(String[] args) throws Exception {
    int sends = args.length > 0 ? Integer.parseInt(args[0]) : 6_000;
    String auth = System.getenv().getOrDefault("PARLEY_BENCH_AUTH", "").trim();
    if (!auth.isEmpty() && !auth.equals("local")) {
      throw new IllegalArgumentException("PARLEY_BENCH_AUTH must be local or unset, not '" + auth + "'");
    }
    boolean accounts = auth.equals("local");
    Vertx vertx = Vertx.vertx();
    StampingUpstream upstream = new StampingUpstream(vertx);
    int upstreamPort = upstream.start().await(10, TimeUnit.SECONDS);
    Path data = Files.createTempDirectory("parley-send-path");
    Map<String, Object> settings = new HashMap<>(Map.of(
        "PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_HTTP_PORT", 0, "PARLEY_DATA_DIR", data.toString(),
        "PARLEY_LLM_BASE_URL", "http://127.0.0.1:" + upstreamPort + "/v1",
        "PARLEY_MAX_STREAMS_PER_IP", 100_000, "PARLEY_TITLE_MODEL", "none"));
    if (accounts) {
      settings.put("PARLEY_AUTH", "local");
      settings.put("PARLEY_USER_SENDS_PER_MINUTE", Integer.parseInt(System.getenv().getOrDefault("PARLEY_USER_SENDS_PER_MINUTE", "1000000")));
      settings.put("PARLEY_USER_MAX_ACTIVE_REPLIES", Integer.parseInt(System.getenv().getOrDefault("PARLEY_USER_MAX_ACTIVE_REPLIES", "1000")));
    }
    ParleyNode node = ParleyNode.start(vertx, Settings.defaultsWith(settings)).await(60, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(1));
    try {
      String authorization = accounts ? "Bearer " + bearerToken(client, node.httpPort()).await(60, TimeUnit.SECONDS) : null;
      LoadClient load = new LoadClient(vertx);
      Target parley = new Target("parley", node.httpPort(), true, -1, false, authorization);
      Target model = new Target("direct", upstreamPort, false, -1, false);
      // One delta each: what is timed is the way to the first token, not the stream.
      load.sequential(parley, "warm", sends / 2, 1, 1).await(600, TimeUnit.SECONDS);
      Tally direct = load.sequential(model, "direct", sends / 2, 1, 1).await(600, TimeUnit.SECONDS);
      Tally relayed = load.sequential(parley, "timed", sends / 2, 1, 1).await(600, TimeUnit.SECONDS);
      StringBuilder md = new StringBuilder();
      md.append("Send path in one JVM, run ").append(Instant.now()).append(", Java ").append(System.getProperty("java.version"))
          .append(": ").append(sends / 2).append(" sends one at a time after as many to warm up")
          .append(accounts ? ", with accounts (PARLEY_AUTH=local), each request carrying a bearer token" : "")
          .append(". Times in ms.\n\n");
      md.append("| | p50 | p90 | p99 |\n|---|---:|---:|---:|\n");
      row(md, "first token, direct to the model", direct.firstToken);
      row(md, "first token through Parley (POST, then SSE)", relayed.firstToken);
      row(md, "the send answered (POST → 201)", relayed.sendAnswered);
      md.append("\nFailed: ").append(direct.failed.get() + relayed.failed.get()).append(".\n");
      System.out.println("Wrote " + Results.write("send-path.md", md));
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Signs up the first account (an admin) and makes an API token with its session. */
  private static Future<String> bearerToken(HttpClient client, int port) {
    JsonObject account = new JsonObject().put("username", "bench").put("password", "bench-password");
    return client.request(post(port, "/api/auth/signup"))
        .compose(request -> request.send(account.toBuffer()))
        .compose(response -> expect(response, 201))
        .compose(response -> {
          String cookie = response.cookies().stream().filter(c -> c.startsWith("parley_session="))
              .map(c -> c.split(";", 2)[0]).findFirst().orElse(null);
          return cookie == null ? Future.failedFuture("sign-up set no session cookie") : Future.succeededFuture(cookie);
        })
        .compose(cookie -> client.request(post(port, "/api/tokens").putHeader("Cookie", cookie)))
        .compose(request -> request.send(new JsonObject().put("name", "bench").toBuffer()))
        .compose(response -> expect(response, 201))
        .compose(HttpClientResponse::body)
        .map(body -> body.toJsonObject().getString("token"));
  }

  private static RequestOptions post(int port, String uri) {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(uri)
        .putHeader("Content-Type", "application/json");
  }

  private static Future<HttpClientResponse> expect(HttpClientResponse response, int status) {
    return response.statusCode() == status ? Future.succeededFuture(response)
        : response.body().compose(body -> Future.failedFuture(response.request().getURI() + " answered " + response.statusCode() + ": " + body));
  }

  private static void row(StringBuilder md, String name, Histogram histogram) {
    md.append("| ").append(name);
    for (double percentile : new double[] {50, 90, 99}) {
      md.append(" | ").append(String.format("%.2f", histogram.getValueAtPercentile(percentile) / 1000.0));
    }
    md.append(" |\n");
  }
}
