package parley.support;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Two clustered nodes, A and B, of a cluster of their own, sharing one in-memory MongoDB and one
 * in-test model, as a deployment of two would.
 */
public final class TwoNodeCluster {
  private final MongoServer mongo;
  private final String name = "parley-test-" + UUID.randomUUID();
  private FakeUpstream upstream;
  private TestNode a;
  private TestNode b;

  private TwoNodeCluster(MongoServer mongo) {
    this.mongo = mongo;
  }

  /** Starts the model, then A and B (data in {@code dataDir}/a and /b); {@code settings} go to both. */
  public static Future<TwoNodeCluster> start(Vertx vertx, Path dataDir, Map<String, Object> settings) {
    MongoServer mongo = new MongoServer(H2Backend.inMemory());
    mongo.bind("127.0.0.1", 0);
    TwoNodeCluster cluster = new TwoNodeCluster(mongo);
    Map<String, Object> shared = new HashMap<>(settings);
    shared.put("PARLEY_MONGO_URI", mongo.getConnectionString());
    return FakeUpstream.start(vertx)
        .compose(started -> {
          cluster.upstream = started;
          return TestNode.startClustered(started, dataDir.resolve("a"), cluster.name, shared);
        })
        .compose(a -> {
          cluster.a = a;
          return TestNode.startClustered(cluster.upstream, dataDir.resolve("b"), cluster.name, shared);
        })
        .map(b -> {
          cluster.b = b;
          return cluster;
        });
  }

  public TestNode a() {
    return a;
  }

  public TestNode b() {
    return b;
  }

  public FakeUpstream upstream() {
    return upstream;
  }

  /** The cluster's name, for a JVM service that joins it. */
  public String name() {
    return name;
  }

  /** Stops both nodes, the model and MongoDB; completes even if a stop failed. */
  public Future<Void> stop() {
    return stopAfter(Future.join(b.stop(), a.stop()).mapEmpty());
  }

  /** The same once A has {@link TestNode#crash() crashed}: its Vertx has lost its cluster, so it is closed without waiting on a clean leave. */
  public Future<Void> stopAfterCrashOfA() {
    return stopAfter(a.vertx().close().timeout(5, TimeUnit.SECONDS).otherwiseEmpty().compose(v -> b.stop()));
  }

  private Future<Void> stopAfter(Future<Void> nodesStopped) {
    return nodesStopped.eventually(upstream::close).transform(done -> {
      mongo.shutdownNow();
      return Future.succeededFuture();
    });
  }
}
