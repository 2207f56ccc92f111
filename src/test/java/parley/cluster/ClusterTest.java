package parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.config.Settings;
import parley.support.FakeUpstream;
import parley.support.FakeUpstream.Script;
import parley.support.SseCapture;
import parley.support.TestNode;
import parley.support.TwoNodeCluster;

/** Two clustered nodes behave as one service: any node shows, stops and guards any chat's reply. */
@ExtendWith(VertxExtension.class)
class ClusterTest {
  private static final List<String> TOKENS = List.of("Across ", "the ", "cluster ", "every ", "token ", "arrives ", "once.");
  private static final String TEXT = String.join("", TOKENS);

  @TempDir static Path dataDir;
  private static TwoNodeCluster cluster;
  private static FakeUpstream upstream;
  private static TestNode nodeA;
  private static TestNode nodeB;

  @BeforeAll
  static void startCluster(Vertx vertx, VertxTestContext ctx) {
    TwoNodeCluster.start(vertx, dataDir, Map.of()).onComplete(ctx.succeeding(started -> {
      cluster = started;
      upstream = started.upstream();
      nodeA = started.a();
      nodeB = started.b();
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stopCluster(VertxTestContext ctx) {
    cluster.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void replySentToAIsWatchedLiveReplayedAndResumedOnB(VertxTestContext ctx) {
    upstream.script(Script.tokens(TOKENS, 30));
    nodeA.sendOk("across", "hello cluster")
        .compose(ex -> nodeB.stream("across", null))
        .compose(SseCapture::done)
        .compose(live -> {
          ctx.verify(() -> {
            assertThat(SseCapture.textOf(live)).isEqualTo(TEXT);
            assertThat(SseCapture.endOf(live).json().getString("status")).isEqualTo("complete");
          });
          return Future.all(nodeB.stream("across", null).compose(SseCapture::done), nodeB.stream("across", 4L).compose(SseCapture::done));
        })
        .onComplete(ctx.succeeding(replays -> ctx.verify(() -> {
          List<SseCapture.Event> replayed = replays.resultAt(0);
          List<SseCapture.Event> resumed = replays.resultAt(1);
          assertThat(SseCapture.textOf(replayed)).isEqualTo(TEXT);
          assertThat(SseCapture.deltasOf(resumed)).extracting(SseCapture.Event::id).containsExactly("5", "6", "7");
          assertThat(SseCapture.textOf(resumed)).isEqualTo("token arrives once.");
          ctx.completeNow();
        })));
  }

  @Test
  void terminateSentToBStopsTheUpstreamCallOnAAndEndsSubscribersOnBothNodes(VertxTestContext ctx) {
    upstream.script(Script.tokens(Collections.nCopies(300, "more "), 20));
    String[] replyId = new String[1];
    nodeA.sendOk("stop-across", "talk")
        .compose(ex -> {
          replyId[0] = ex.getJsonObject("reply").getString("id");
          return Future.all(nodeA.stream("stop-across", null), nodeB.stream("stop-across", null));
        })
        .compose(watchers -> watchers.<SseCapture>resultAt(1).deltas(3)
            .compose(v -> Future.all(nodeB.terminate("stop-across"), upstream.closeWhileStreaming()))
            .compose(answered -> {
              ctx.verify(() -> assertThat(answered.<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>resultAt(0)
                  .bodyAsJsonObject()).isEqualTo(new JsonObject().put("terminated", true)));
              return Future.all(watchers.<SseCapture>resultAt(0).done(), watchers.<SseCapture>resultAt(1).done());
            }))
        .compose(ends -> {
          ctx.verify(() -> {
            for (int i = 0; i < 2; i++) {
              assertThat(SseCapture.endOf(ends.resultAt(i)).json().getString("status")).isEqualTo("terminated");
            }
          });
          return nodeB.storedMessage("stop-across", replyId[0], m -> m.getString("status").equals("terminated"));
        })
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          assertThat(stored.getString("content")).startsWith("more ");
          ctx.completeNow();
        })));
  }

  @Test
  void secondMessageOnBWhileAReplyStreamsOnAGets409(VertxTestContext ctx) {
    upstream.script(Script.tokens(Collections.nCopies(300, "busy "), 20));
    nodeA.sendOk("guarded", "first")
        .compose(ex -> nodeB.send("guarded", "second"))
        .compose(second -> {
          ctx.verify(() -> assertThat(second.statusCode()).isEqualTo(409));
          return nodeB.terminate("guarded");
        })
        .compose(v -> nodeA.stream("guarded", null)).compose(SseCapture::done)
        .compose(ended -> nodeB.sendOk("guarded", "third"))
        .compose(third -> nodeB.stream("guarded", null)).compose(SseCapture::done)
        .onComplete(ctx.succeeding(events -> ctx.verify(() -> {
          assertThat(SseCapture.endOf(events).json().getString("status")).isEqualTo("complete");
          ctx.completeNow();
        })));
  }

  @Test
  void jvmServiceThatJoinsTheClusterChatsOverThePublicAddresses(VertxTestContext ctx) {
    upstream.script(Script.tokens(TOKENS, 10));
    Settings service = Settings.defaultsWith(Map.of(
        "PARLEY_CLUSTER_NAME", cluster.name(), "PARLEY_CLUSTER_HOST", "127.0.0.1", "PARLEY_CLUSTER_MEMBERS", "127.0.0.1"));
    StringBuilder text = new StringBuilder();
    Vertx.builder().with(ClusterSetup.vertxOptions(service)).withClusterManager(ClusterSetup.clusterManager(service)).buildClustered()
        .compose(other -> {
          EventBus bus = other.eventBus();
          Promise<JsonObject> end = Promise.promise();
          MessageConsumer<JsonObject> events = bus.consumer("parley.chat.from-service.events", message -> {
            JsonObject event = message.body();
            if ("delta".equals(event.getString("type"))) {
              text.append(event.getString("text"));
            } else {
              end.tryComplete(event);
            }
          });
          return events.completion()
              .compose(v -> bus.<JsonObject>request("parley.messages.send",
                  new JsonObject().put("chatId", "from-service").put("content", "hi, I am a service")))
              .compose(answer -> {
                ctx.verify(() -> assertThat(answer.body().getJsonObject("message").getString("content")).isEqualTo("hi, I am a service"));
                return end.future();
              })
              .compose(ended -> bus.<JsonArray>request("parley.messages.history", new JsonObject().put("chatId", "from-service"))
                  .map(history -> new JsonObject().put("end", ended).put("history", history.body())))
              // Not chained: what follows a close would run on the closed Vertx's event loop.
              .andThen(done -> other.close());
        })
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getJsonObject("end").getString("status")).isEqualTo("complete");
          assertThat(text.toString()).isEqualTo(TEXT);
          assertThat(result.getJsonArray("history")).hasSize(2);
          ctx.completeNow();
        })));
  }

  @Test
  void aReplyRegeneratedOnBStreamsToAWatcherOnAAndGuardsTheChatOnA(VertxTestContext ctx) {
    upstream.script(Script.tokens(TOKENS, 5));
    String[] firstReply = new String[1];
    nodeA.sendOk("regen-across", "once more")
        .compose(ex -> {
          firstReply[0] = ex.getJsonObject("reply").getString("id");
          return nodeA.replyEnded("regen-across");
        })
        .compose(v -> {
          upstream.script(Script.tokens(Collections.nCopies(100, "again "), 20));
          return nodeB.web().post(nodeB.port(), "127.0.0.1", "/api/messages/" + firstReply[0] + "/regenerate").send();
        })
        .compose(regenerated -> {
          ctx.verify(() -> assertThat(regenerated.statusCode()).isEqualTo(201));
          return nodeA.web().post(nodeA.port(), "127.0.0.1", "/api/messages/" + firstReply[0] + "/regenerate").send()
              .compose(busy -> {
                ctx.verify(() -> assertThat(busy.statusCode()).isEqualTo(409));
                return nodeA.stream("regen-across", null);
              })
              .compose(watching -> watching.deltas(2).compose(v -> nodeA.terminate("regen-across")).compose(v -> watching.done()))
              .map(events -> {
                ctx.verify(() -> {
                  assertThat(SseCapture.textOf(events)).startsWith("again again ");
                  assertThat(SseCapture.endOf(events).json().getString("messageId"))
                      .isEqualTo(regenerated.bodyAsJsonObject().getJsonObject("reply").getString("id"));
                });
                return null;
              });
        })
        .compose(v -> nodeB.history("regen-across"))
        .onComplete(ctx.succeeding(path -> ctx.verify(() -> {
          assertThat(path.getJsonObject(1).getJsonArray("siblingIds")).hasSize(2).startsWith(firstReply[0]);
          assertThat(path.getJsonObject(1).getString("status")).isEqualTo("terminated");
          ctx.completeNow();
        })));
  }
}
