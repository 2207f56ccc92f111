package parley.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import parley.ParleyNode;
import parley.auth.LocalUser;
import parley.chat.ChatMessage;
import parley.config.Settings;
import parley.store.embedded.EmbeddedMongo;

/**
 * Search time at 10,000 and 100,000 stored messages, on both stores: the embedded store (its
 * Lucene index, rebuilt from the store at start) and an external mongo-java-server in a process of
 * its own (which has no text search: Parley scans). Usage: {@code bench/search.sh [queries]
 * [sizes…]} (default 200 queries, sizes 10000 100000); {@code PARLEY_BENCH_STORES=embedded} (or
 * {@code external}) runs one store only.
 *
 * <p>The messages are written straight into the store, in the documents Parley writes (chats of
 * 20 messages, user and bot taking turns, all of the one local person: the largest set a search
 * has to look through), their text drawn with a fixed seed from a vocabulary of 20,000 made-up
 * words and 60 common English ones, by Zipf's law (as words in real text are). Then a Parley node
 * starts on the store, in this JVM; on the embedded store it finds no index and rebuilds it in the
 * background, and the time until {@code /health} says it is ready is the index's load time.
 *
 * <p>The queries, also from a fixed seed, are made from a random stored message (so each finds at
 * least that one): one, two or three of its words other than the 60 common ones, or two of its
 * words in a row as a quoted phrase. Each goes through real HTTP ({@code GET /api/search}, 20
 * results), one after the other, after 20 unmeasured ones (the scan gets half as many). Last, 100
 * times (the scan: 30) a new message is sent and at once searched for: the cost of a search that
 * must first take in a write.
 */
public final class SearchBenchmark {
  private static final int CHAT_MESSAGES = 20;
  private static final int VOCABULARY = 20_000;
  private static final int WARM_UP = 20;
  private static final int AFTER_WRITE = 100;
  /** The scan takes a good part of a second a query at 100,000 messages: it gets half the queries, and fewer sends. */
  private static final int SCAN_AFTER_WRITE = 30;
  private static final List<String> COMMON = List.of(("the of and to a in is it you that he was for on are with as i his they be at one "
      + "have this from or had by hot word but what some we can out other were all there when up use your how said an each she")
      .split(" "));
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private SearchBenchmark() {}

  public static void main(String[] args) throws Exception {
    int queries = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int[] sizes = args.length > 1 ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray() : new int[] {10_000, 100_000};
    Corpus corpus = new Corpus(new Random(42));
    StringBuilder md = new StringBuilder();
    md.append("Search benchmark, run ").append(Instant.now()).append(", Java ").append(System.getProperty("java.version"))
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores shared by the node, the client and the store. ")
        .append(queries).append(" queries of 1–3 words or a 2-word phrase, one at a time through HTTP, 20 results each. Times in ms.\n\n");
    md.append("| store | messages | written into the store in | index ready after start in | index on disk | queries | search p50 | p90 "
        + "| p99 | max | results per query (mean) | search right after a send p50 / p99 (sends) | machine load (1 min) |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<String> stores = List.of(System.getenv().getOrDefault("PARLEY_BENCH_STORES", "embedded,external").split(","));
    for (int size : sizes) {
      if (stores.contains("embedded")) {
        String row = onOwnVertx(vertx -> embedded(vertx, corpus, size, queries));
        System.out.print(row);
        md.append(row);
      }
      if (stores.contains("external")) {
        String row = onOwnVertx(vertx -> external(vertx, corpus, size, queries));
        System.out.print(row);
        md.append(row);
      }
    }
    System.out.println("Wrote " + Results.write("search.md", md));
  }

  @FunctionalInterface
  private interface Phase {
    String run(Vertx vertx) throws Exception;
  }

  /** Each measurement on a Vertx of its own (node, loader and client), as separate runs would be. */
  private static String onOwnVertx(Phase phase) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return phase.run(vertx);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** The embedded store, filled while no node runs; the node then builds its index. */
  private static String embedded(Vertx vertx, Corpus corpus, int size, int queries) throws Exception {
    Path data = Files.createTempDirectory("parley-search-bench");
    long written;
    try (EmbeddedMongo store = EmbeddedMongo.start(data, 100)) {
      written = load(vertx, store.connectionString(), corpus, size);
    }
    long started = System.nanoTime();
    ParleyNode node = ParleyNode.start(vertx, settings(Map.of("PARLEY_DATA_DIR", data.toString()))).await(120, TimeUnit.SECONDS);
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      JsonObject ready = indexReady(client, node.httpPort());
      long readyMs = (System.nanoTime() - started) / 1_000_000;
      String row = measure(client, node.httpPort(), corpus, size, queries, AFTER_WRITE, "embedded (Lucene)", written,
          String.format(Locale.ROOT, "%,d ms", readyMs),
          String.format(Locale.ROOT, "%.1f MiB", ready.getLong("bytes") / 1048576.0));
      return row;
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /** mongo-java-server in a process of its own, in memory (no text search: Parley scans). */
  private static String external(Vertx vertx, Corpus corpus, int size, int queries) throws Exception {
    int port = BurstBenchmark.freePort();
    Path log = Files.createTempFile("parley-search-bench-store", ".log");
    Process store = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-cp",
        System.getProperty("java.class.path"), ExternalStore.class.getName(), String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      BurstBenchmark.awaitPort(port);
      String uri = "mongodb://127.0.0.1:" + port;
      long written = load(vertx, uri, corpus, size);
      Path data = Files.createTempDirectory("parley-search-bench");
      ParleyNode node = ParleyNode.start(vertx, settings(Map.of("PARLEY_DATA_DIR", data.toString(), "PARLEY_MONGO_URI", uri)))
          .await(120, TimeUnit.SECONDS);
      try {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String row = measure(client, node.httpPort(), corpus, size, Math.max(20, queries / 2), SCAN_AFTER_WRITE,
            "external mongo-java-server (scan)", written, "–", "–");
        return row;
      } finally {
        node.stop().await(30, TimeUnit.SECONDS);
      }
    } finally {
      store.destroy();
      store.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Settings settings(Map<String, Object> extra) {
    Map<String, Object> values = new java.util.HashMap<>(Map.of("PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_HTTP_PORT", 0,
        "PARLEY_TITLE_MODEL", "none", "PARLEY_DEMO_DELAY_MS", 1));
    values.putAll(extra);
    return Settings.defaultsWith(values);
  }

  /** Writes the corpus's first {@code size} messages, in chats, as Parley stores them; answers the time it took in ms. */
  private static long load(Vertx vertx, String uri, Corpus corpus, int size) {
    long started = System.nanoTime();
    MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri).put("db_name", "parley"));
    try {
      List<BulkOperation> messages = new ArrayList<>();
      List<BulkOperation> chats = new ArrayList<>();
      for (int chat = 0; chat * CHAT_MESSAGES < size; chat++) {
        JsonArray ids = new JsonArray();
        String chatId = "bench-" + chat;
        for (int i = chat * CHAT_MESSAGES; i < Math.min(size, (chat + 1) * CHAT_MESSAGES); i++) {
          String id = String.format("%024x", i);
          ids.add(id);
          messages.add(BulkOperation.createInsert(new JsonObject().put("_id", id).put("chatId", chatId)
              .put("sender", i % 2 == 0 ? "user" : "bot").put("content", corpus.message(i)).put("status", "complete")
              .put("createdAt", ChatMessage.timestamp(START.plusSeconds(i)))));
          if (messages.size() == 1000) {
            mongo.bulkWrite("messages", new ArrayList<>(messages)).await(120, TimeUnit.SECONDS);
            messages.clear();
          }
        }
        String title = String.join(" ", Arrays.asList(corpus.message(chat * CHAT_MESSAGES).replace(".", "").split(" ")).subList(0, 4));
        chats.add(BulkOperation.createInsert(new JsonObject().put("_id", chatId).put("ownerId", LocalUser.ID).put("title", title)
            .put("titleSource", "message").put("updatedAt", ChatMessage.timestamp(START.plusSeconds(chat * CHAT_MESSAGES + ids.size())))
            .put("messageCount", ids.size()).put("messageIds", ids)));
      }
      if (!messages.isEmpty()) {
        mongo.bulkWrite("messages", messages).await(120, TimeUnit.SECONDS);
      }
      mongo.bulkWrite("chats", chats).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("loading the store failed", e);
    } finally {
      mongo.close().await();
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** Asks /health until the search index is ready; answers its state. */
  private static JsonObject indexReady(HttpClient client, int port) throws Exception {
    long deadline = System.currentTimeMillis() + 600_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject health = new JsonObject(get(client, port, "/health"));
      JsonObject search = health.getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(check -> check.getString("id").equals("store")).findFirst().orElseThrow()
          .getJsonObject("data").getJsonObject("search");
      if ("ready".equals(search.getString("state"))) {
        return search;
      }
      Thread.sleep(100); // a rebuild says nothing when it ends but in the log and /health
    }
    throw new IllegalStateException("the index was not ready in 10 minutes");
  }

  private static String measure(HttpClient client, int port, Corpus corpus, int size, int queries, int sends, String store,
      long writtenMs, String indexReady, String indexSize) throws Exception {
    Random random = new Random(7);
    Histogram times = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    long results = 0;
    String loadBefore = loadAverage();
    for (int i = 0; i < WARM_UP + queries; i++) {
      String q = corpus.query(random, size);
      long started = System.nanoTime();
      JsonArray hits = new JsonArray(get(client, port, "/api/search?limit=20&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)));
      long micros = (System.nanoTime() - started) / 1000;
      if (hits.isEmpty()) {
        throw new IllegalStateException("no result for " + q + " on " + store);
      }
      if (i >= WARM_UP) {
        times.recordValue(micros);
        results += hits.size();
      }
    }
    Histogram afterWrite = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    for (int i = 0; i < sends; i++) {
      String word = "freshword" + i;
      JsonObject body = new JsonObject().put("chatId", "fresh-" + i).put("content", "a " + word + " just sent");
      send(client, HttpRequest.newBuilder(uri(port, "/api/messages")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), 201);
      long started = System.nanoTime();
      JsonArray hits = new JsonArray(get(client, port, "/api/search?q=" + word));
      afterWrite.recordValue((System.nanoTime() - started) / 1000);
      if (hits.stream().noneMatch(hit -> ((JsonObject) hit).getString("chatId").equals("fresh-" + word.substring(9)))) {
        throw new IllegalStateException("a message just sent was not found on " + store + ": " + hits);
      }
    }
    return String.format(Locale.ROOT, "| %s | %,d | %,d ms | %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f / %.2f (%d) | %s → %s |\n",
        store, size, writtenMs, indexReady, indexSize, queries, ms(times, 50), ms(times, 90), ms(times, 99), times.getMaxValue() / 1000.0,
        (double) results / queries, ms(afterWrite, 50), ms(afterWrite, 99), sends, loadBefore, loadAverage());
  }

  /** The machine's 1-minute load average: other work on the shared cores shows in the times. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException | RuntimeException unreadable) {
      return "?";
    }
  }

  private static double ms(Histogram histogram, double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  private static String get(HttpClient client, int port, String path) throws Exception {
    return send(client, HttpRequest.newBuilder(uri(port, path)).GET().build(), 200);
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Sends and answers the body, once the status is the one expected; a minute at most. */
  private static String send(HttpClient client, HttpRequest request, int status) throws Exception {
    HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofMinutes(1)).build();
    HttpResponse<String> response = client.send(timed, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != status) {
      throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** The stored texts and the queries, both from fixed seeds: every run writes and asks the same. */
  static final class Corpus {
    private static final String[] SYLLABLES = ("ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko ku la le li lo lu "
        + "ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zo "
        + "ran ten lin mor sun kar vel dor min tas").split(" ");
    private final String[] words;
    private final double[] cumulative;
    private final List<String> texts = new ArrayList<>();
    private final Random random;

    Corpus(Random random) {
      this.random = random;
      Set<String> vocabulary = new LinkedHashSet<>(COMMON);
      while (vocabulary.size() < COMMON.size() + VOCABULARY) {
        StringBuilder word = new StringBuilder();
        for (int s = 2 + random.nextInt(3); s > 0; s--) {
          word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        vocabulary.add(word.toString());
      }
      words = vocabulary.toArray(String[]::new);
      cumulative = new double[words.length];
      double sum = 0;
      for (int rank = 0; rank < words.length; rank++) {
        sum += 1.0 / (rank + 1);
        cumulative[rank] = sum;
      }
    }

    private String word(Random random) {
      int found = Arrays.binarySearch(cumulative, random.nextDouble() * cumulative[cumulative.length - 1]);
      return words[found >= 0 ? found : -found - 1];
    }

    /** The i-th message: 8 to 60 words, a capital first and a full stop last. */
    String message(int i) {
      while (texts.size() <= i) {
        int length = 8 + random.nextInt(53);
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < length; w++) {
          String word = word(random);
          text.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
          if (w > 0 && w < length - 1 && random.nextInt(12) == 0) {
            text.append(',');
          }
        }
        texts.add(text.append('.').toString());
      }
      return texts.get(i);
    }

    /** A query found in one of the first {@code size} messages. */
    String query(Random random, int size) {
      while (true) {
        String[] inMessage = message(random.nextInt(size)).toLowerCase(Locale.ROOT).replaceAll("[.,]", "").split(" ");
        List<String> rare = Arrays.stream(inMessage).filter(word -> !COMMON.contains(word)).distinct().toList();
        int kind = random.nextInt(100);
        if (kind < 15) {
          int at = random.nextInt(inMessage.length - 1);
          return "\"" + inMessage[at] + " " + inMessage[at + 1] + "\"";
        }
        int count = kind < 55 ? 1 : kind < 85 ? 2 : 3;
        if (rare.size() < count) {
          continue;
        }
        List<String> picked = new ArrayList<>(rare);
        java.util.Collections.shuffle(picked, random);
        return String.join(" ", picked.subList(0, count));
      }
    }
  }
}
