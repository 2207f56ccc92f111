package parley.support;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;

/**
 * A node on a Vertx of its own, for tests that call it from their own thread (with
 * {@link ApiClient}): started by {@link #start}, stopped with its Vertx by {@link #close}, so one
 * node can serve a whole test class ({@code @BeforeAll}) or a single test (try-with-resources).
 */
public final class RunningNode implements AutoCloseable {
  private final Vertx vertx;
  private final TestNode node;

  private RunningNode(Vertx vertx, TestNode node) {
    this.vertx = vertx;
    this.node = node;
  }

  public static RunningNode start(Path dataDir, Map<String, Object> settings) {
    return start(dataDir, settings, Map.of());
  }

  /** The same, with the environment the providers' keys are read from. */
  public static RunningNode start(Path dataDir, Map<String, Object> settings, Map<String, String> env) {
    Vertx vertx = Vertx.vertx();
    try {
      return new RunningNode(vertx, ApiClient.await(TestNode.start(vertx, dataDir, settings, env)));
    } catch (RuntimeException | AssertionError e) {
      vertx.close();
      throw e;
    }
  }

  public TestNode node() {
    return node;
  }

  public FakeUpstream upstream() {
    return node.upstream();
  }

  public ApiClient anonymous() {
    return ApiClient.anonymous(node);
  }

  @Override
  public void close() {
    try {
      ApiClient.await(node.stop());
    } finally {
      ApiClient.await(vertx.close());
    }
  }
}
