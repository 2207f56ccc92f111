package parley.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What every run against processes needs: the fake model and the load client, each on a Vert.x of
 * its own with one event loop, and the servers under test in a working directory of the run's.
 * Closing stops the servers first, then the client and the model.
 */
final class Rig implements AutoCloseable {
  /** The jar every Parley target runs. */
  static final Path JAR = Path.of("target", "parley.jar");
  /** How long a server is given to stop when the run ends. */
  private static final long STOP_SECONDS = 15;

  final Path work;
  final LoadClient client;
  final BurstBenchmark.Servers servers;
  private final Vertx modelVertx;
  private final Vertx clientVertx;

  private Rig(Path work, Vertx modelVertx, Vertx clientVertx, int modelPort) {
    this.work = work;
    this.modelVertx = modelVertx;
    this.clientVertx = clientVertx;
    this.client = new LoadClient(clientVertx);
    this.servers = new BurstBenchmark.Servers(work, modelPort);
  }

  /** A rig whose working directory is a new temporary one named after {@code run}; the jar must be built. */
  static Rig start(String run) throws Exception {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException("build Parley first: mvn -B package (expected " + JAR.toAbsolutePath() + ")");
    }
    Path work = Files.createTempDirectory("parley-" + run);
    Vertx modelVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int modelPort = new StampingUpstream(modelVertx).start().await(10, TimeUnit.SECONDS);
    return new Rig(work, modelVertx, clientVertx, modelPort);
  }

  @Override
  public void close() throws Exception {
    close(STOP_SECONDS);
  }

  /** Gives each server up to {@code seconds} to stop (a node writing an AOT cache needs longer). */
  void close(long seconds) throws Exception {
    servers.close(seconds);
    clientVertx.close().await(10, TimeUnit.SECONDS);
    modelVertx.close().await(10, TimeUnit.SECONDS);
  }
}
