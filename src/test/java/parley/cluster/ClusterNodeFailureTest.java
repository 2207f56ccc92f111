package parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.support.FakeUpstream.Script;
import parley.support.SseCapture;
import parley.support.TestNode;
import parley.support.TwoNodeCluster;

/** A node that dies mid-reply: its reply does not stay streaming; watchers elsewhere are told. */
@ExtendWith(VertxExtension.class)
class ClusterNodeFailureTest {
  private static final List<String> TOKENS = Collections.nCopies(400, "tok ");

  @TempDir Path dataDir;
  private TwoNodeCluster cluster;
  private TestNode nodeA;
  private TestNode nodeB;

  @AfterEach
  void stop(VertxTestContext ctx) {
    (cluster == null ? Future.<Void>succeededFuture() : cluster.stopAfterCrashOfA()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void replyOfACrashedNodeEndsInterruptedWithItsCheckpointedText(Vertx vertx, VertxTestContext ctx) {
    String[] replyId = new String[1];
    TwoNodeCluster.start(vertx, dataDir, Map.of())
        .compose(started -> {
          cluster = started;
          cluster.upstream().script(Script.tokens(TOKENS, 20));
          nodeA = started.a();
          nodeB = started.b();
          return nodeA.clusterSafe();
        })
        .compose(safe -> nodeA.sendOk("doomed-node", "keep talking"))
        .compose(ex -> {
          replyId[0] = ex.getJsonObject("reply").getString("id");
          return nodeB.stream("doomed-node", null);
        })
        .compose(watcher -> watcher.deltas(10).compose(v -> {
          nodeA.crash();
          return watcher.done();
        }))
        .compose(events -> {
          ctx.verify(() -> {
            var end = SseCapture.endOf(events).json();
            assertThat(end.getString("status")).as("stored interrupted, streamed as an error").isEqualTo("error");
            assertThat(end.getString("messageId")).isEqualTo(replyId[0]);
          });
          return nodeB.storedMessage("doomed-node", replyId[0], m -> m.getString("status").equals("interrupted"))
              .map(stored -> {
                ctx.verify(() -> {
                  assertThat(stored.getString("content")).startsWith("tok ");
                  assertThat(String.join("", TOKENS)).startsWith(stored.getString("content"));
                });
                return stored;
              });
        })
        .compose(stored -> nodeB.sendOk("doomed-node", "are you there?"))
        .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
          assertThat(again.getJsonObject("reply").getString("status")).isEqualTo("streaming");
          ctx.completeNow();
        })));
  }
}
