package parley;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.cluster.ClusterSetup;
import parley.cluster.Membership;
import parley.config.Settings;

/** Starts one node: {@code java -jar parley.jar}. Settings come from conf/config.json and the environment. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final long SHUTDOWN_SECONDS = 10;

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    Map<String, String> env = new HashMap<>(System.getenv());
    if (Arrays.asList(args).contains("--cluster")) {
      env.put("PARLEY_CLUSTER", "true");
    }
    Settings settings;
    try {
      settings = Settings.load(env);
      settings.check();
    } catch (RuntimeException e) {
      LOG.error("Bad configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = null;
    ParleyNode node;
    try {
      if (settings.cluster()) {
        HazelcastClusterManager cluster = ClusterSetup.clusterManager(settings);
        vertx = Vertx.builder().with(ClusterSetup.vertxOptions(settings)).withClusterManager(cluster)
            .buildClustered().await(2, TimeUnit.MINUTES);
        LOG.info("Joined cluster '{}' as node {} ({} node(s))", settings.clusterName(), cluster.getNodeId(), cluster.getNodes().size());
        node = ParleyNode.start(vertx, settings, Membership.of(cluster)).await(2, TimeUnit.MINUTES);
      } else {
        vertx = Vertx.builder().with(new VertxOptions()).build();
        node = ParleyNode.start(vertx, settings).await(2, TimeUnit.MINUTES);
      }
    } catch (Exception e) {
      LOG.error("Parley could not start: {}", e.getMessage(), e);
      if (vertx != null) {
        vertx.close();
      }
      System.exit(1);
      return;
    }
    Vertx running = vertx;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping: running replies are stored as interrupted");
      node.stop().eventually(running::close).onComplete(done -> stopped.countDown());
      try {
        if (!stopped.await(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn("Shutdown took longer than {} s; exiting anyway", SHUTDOWN_SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "parley-shutdown"));
  }
}
