package parley.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node for each test that the test starts itself, with the settings it is about (store in the
 * test's own directory); stopped after the test, if it started.
 */
@ExtendWith(VertxExtension.class)
public abstract class WithNodeSettings {
  @TempDir protected Path dataDir;
  protected TestNode node;

  /** Starts this test's node: test-friendly timings, {@code settings} replace any of them. */
  protected Future<TestNode> start(Vertx vertx, Map<String, Object> settings) {
    return TestNode.start(vertx, dataDir, settings).map(started -> node = started);
  }

  @AfterEach
  void stopNode(VertxTestContext ctx) {
    (node == null ? Future.<Void>succeededFuture() : node.stop()).onComplete(ctx.succeedingThenComplete());
  }
}
