package parley.support;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A fresh node for each test (store in the test's own directory), stopped after it. */
@ExtendWith(VertxExtension.class)
public abstract class WithNode {
  @TempDir protected Path dataDir;
  protected TestNode node;

  @BeforeEach
  void startNode(Vertx vertx, VertxTestContext ctx) {
    TestNode.start(vertx, dataDir).onComplete(ctx.succeeding(started -> {
      node = started;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stopNode(VertxTestContext ctx) {
    node.stop().onComplete(ctx.succeedingThenComplete());
  }
}
