package parley.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in a process of its own, with the in-test model, for tests that kill or signal it; then
 * the same data directory opened again by a node in this JVM, to see what was kept.
 */
@ExtendWith(VertxExtension.class)
public abstract class WithNodeProcess {
  @TempDir protected Path dataDir;
  protected NodeProcess process;
  protected FakeUpstream upstream;
  protected TestNode restarted;

  /** Starts the model with this script, then the node process pointed at it. */
  protected Future<NodeProcess> startProcess(Vertx vertx, FakeUpstream.Script script, Map<String, String> env) {
    return FakeUpstream.start(vertx).compose(started -> {
      upstream = started;
      upstream.script(script);
      Map<String, String> settings = new HashMap<>(env);
      settings.put("PARLEY_LLM_BASE_URL", upstream.baseUrl());
      return NodeProcess.start(vertx, dataDir, settings);
    }).map(node -> process = node);
  }

  /** A node in this JVM on the process's data directory, once the process is gone. */
  protected Future<TestNode> restartInProcess(Vertx vertx) {
    return TestNode.start(vertx, dataDir).map(node -> restarted = node);
  }

  @AfterEach
  void cleanUpProcess(VertxTestContext ctx) {
    if (process != null) {
      process.forceStop();
    }
    Future<Void> stopped = restarted == null ? Future.succeededFuture() : restarted.stop();
    stopped.eventually(() -> upstream == null ? Future.succeededFuture() : upstream.close()).onComplete(ctx.succeedingThenComplete());
  }
}
