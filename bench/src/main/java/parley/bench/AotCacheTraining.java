package parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes an ahead-of-time cache for Parley (JDK 25: {@code -XX:AOTCacheOutput}, JEPs 483, 514 and
 * 515): the classes it loads and links, and the profiles of the methods it runs, recorded while
 * the jar relays the kind of load it meets, so that a node started with {@code -XX:AOTCache} skips
 * most of its warm-up. Usage: {@code bench/aot-cache.sh [cache file]} (default
 * {@code target/parley.aot}); the JDK is {@code PARLEY_BENCH_JAVA}'s, and the cache fits only that
 * JDK, this very jar and the node's flags, given in {@code PARLEY_BENCH_JVM_ARGS} (after those of conf/jvm.options).
 *
 * <p>The training load is the side-by-side benchmark's (fake model, light client): exchanges one
 * after another, bursts of 50, 500 and 1,000, then 50 new exchanges a second for 20 s. The cache is
 * written when the node stops.
 */
public final class AotCacheTraining {
  private static final long STOP_SECONDS = 180;

  private AotCacheTraining() {}

  public static void main(String[] args) throws Exception {
    Path cache = Path.of(args.length > 0 ? args[0] : "target/parley.aot").toAbsolutePath();
    String javaHome = System.getenv("PARLEY_BENCH_JAVA");
    if (javaHome == null || javaHome.isBlank()) {
      throw new IllegalArgumentException("PARLEY_BENCH_JAVA must name a JDK 25 or later (its home), the one the node will run on");
    }
    // The flags the node will run with (a collector without compressed pointers, ZGC, needs a cache of its own).
    String nodeFlags = System.getenv().getOrDefault("PARLEY_BENCH_JVM_ARGS", "").trim();
    Files.deleteIfExists(cache);
    Rig rig = Rig.start("aot");
    LoadClient client = rig.client;
    try {
      Target parley = rig.servers.parley("parley-training", Rig.JAR, Map.of(), javaHome, nodeFlags + " -XX:AOTCacheOutput=" + cache,
          Map.of());
      System.out.println("Training " + parley.name() + " on " + javaHome + "…");
      client.sequential(parley, "train-one", 100, 3, 1).await(600, TimeUnit.SECONDS);
      for (int burst : new int[] {50, 500, 1000}) {
        client.spread(parley, "train-b" + burst, burst, 500, LoadClient.DELTAS, LoadClient.INTERVAL_MS).await(600, TimeUnit.SECONDS);
      }
      client.spread(parley, "train-rate", 50 * 20, 20_000, LoadClient.DELTAS, LoadClient.INTERVAL_MS).await(600, TimeUnit.SECONDS);
    } finally {
      rig.close(STOP_SECONDS);
    }
    if (!Files.exists(cache)) {
      throw new IllegalStateException("the node wrote no cache: see " + rig.work.resolve("parley-training.log"));
    }
    System.out.printf("Wrote %s (%,d bytes). Start the node with: %s/bin/java @conf/jvm.options %s-XX:AOTCache=%s -jar %s%n", cache,
        Files.size(cache), javaHome, nodeFlags.isEmpty() ? "" : nodeFlags + " ", cache, Rig.JAR.toAbsolutePath());
  }
}
