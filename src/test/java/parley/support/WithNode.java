package parley.support;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** A fresh node for each test (store in the test's own directory), stopped after it. */
public abstract class WithNode extends WithNodeSettings {
  @BeforeEach
  void startNode(Vertx vertx, VertxTestContext ctx) {
    start(vertx, Map.of()).onComplete(ctx.succeedingThenComplete());
  }
}
