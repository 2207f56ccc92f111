package parley;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one node: {@code java -jar parley.jar}. Settings come from conf/config.json and the environment. */
public final class Main {
  private static final long SHUTDOWN_SECONDS = 10;

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    Logger log = LoggerFactory.getLogger(Main.class);
    Settings settings;
    try {
      settings = Settings.load(System.getenv());
    } catch (RuntimeException e) {
      log.error("Bad configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    if (settings.cluster()) {
      log.error("PARLEY_CLUSTER=true is not supported by this build yet");
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.builder().with(new VertxOptions()).build();
    ParleyNode node;
    try {
      node = ParleyNode.start(vertx, settings).await(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      log.error("Parley could not start: {}", e.getMessage(), e);
      vertx.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Stopping: running replies are stored as interrupted");
      node.stop().eventually(vertx::close).onComplete(done -> stopped.countDown());
      try {
        if (!stopped.await(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
          log.warn("Shutdown took longer than {} s; exiting anyway", SHUTDOWN_SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "parley-shutdown"));
  }
}
