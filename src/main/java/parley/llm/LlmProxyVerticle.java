package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.bus.Addresses;
import parley.bus.BusAnswer;
import parley.chat.ChatMessage;
import parley.chat.ErrorCode;
import parley.chat.Exchange;
import parley.chat.MessageIds;
import parley.chat.NewMessage;
import parley.chat.Rejection;
import parley.cluster.Membership;
import parley.config.Settings;
import parley.store.StoreClient;

/**
 * Answers {@code parley.messages.send}: claims the chat, has the store record the message and the
 * new reply, answers, and only then calls the model. The replies it runs live here.
 */
public final class LlmProxyVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LlmProxyVerticle.class);

  private static final Rejection NOT_STARTED =
      new Rejection(ErrorCode.UNAVAILABLE, "the reply could not be started, try again shortly");
  private static final Rejection MODEL_DOWN = new Rejection(ErrorCode.UNAVAILABLE, "the model cannot be reached");

  private final Settings settings;
  private final Membership membership;
  private final String nodeId;
  private final Map<String, ReplyRun> runs = new HashMap<>();
  private ModelBackend backend;
  private ReplyDirectory directory;
  private StoreClient store;
  private ReplyRun.Collaborators replyCollaborators;

  public LlmProxyVerticle(Settings settings, Membership membership) {
    this.settings = settings;
    this.membership = membership;
    this.nodeId = membership.nodeId();
  }

  @Override
  public Future<?> start() {
    backend = settings.demoModel()
        ? new DemoBackend(vertx, settings.demoDelayMs())
        : new OpenAiCompatibleBackend(vertx, settings.llmBaseUrl(), settings.llmApiKey(), settings.llmModel(),
            settings.llmConnectTimeoutMs(), settings.llmIdleTimeoutMs());
    LOG.info("Replies come from {}", backend.describe());
    directory = new ReplyDirectory(vertx);
    store = new StoreClient(vertx.eventBus());
    replyCollaborators = new ReplyRun.Collaborators(vertx, store, directory, settings.checkpointMs(), settings.replayRetentionMs());
    OrphanedReplies orphans = new OrphanedReplies(vertx.eventBus(), store, directory);
    membership.onNodeLeft(nodeId -> context.runOnContext(v -> {
      if (membership.isCoordinator()) {
        orphans.nodeLeft(nodeId).onFailure(e -> LOG.warn("Could not end the replies of node {}", nodeId, e));
      }
    }));
    Handler<Message<JsonObject>> sendHandler = request -> BusAnswer.with(request, this::send, LOG, NOT_STARTED);
    Handler<Message<JsonObject>> pingHandler = request -> BusAnswer.with(request, body -> backend.ping(), LOG, MODEL_DOWN);
    return Future.all(
            vertx.eventBus().consumer(Addresses.SEND, sendHandler).completion(),
            vertx.eventBus().localConsumer(Addresses.SEND_LOCAL, sendHandler).completion(),
            vertx.eventBus().localConsumer(Addresses.MODEL_PING, pingHandler).completion())
        .compose(v -> orphans.interruptUnowned());
  }

  private Future<JsonObject> send(JsonObject body) {
    NewMessage sent = NewMessage.fromJson(body);
    String messageId = MessageIds.next();
    String replyId = MessageIds.next();
    return directory.claim(sent.chatId(), replyId, nodeId).compose(entry -> store
        .beginExchange(sent, messageId, replyId, settings.contextMessages())
        .recover(failure -> directory.release(sent.chatId(), entry).transform(v -> Future.failedFuture(failure)))
        .compose(begun -> {
          Exchange exchange = begun.exchange();
          ReplyRun run = new ReplyRun(replyCollaborators, exchange.reply(), entry, () -> runs.remove(replyId));
          runs.put(replyId, run);
          return run.open().map(v -> {
            List<ChatMessage> conversation = new ArrayList<>(begun.history());
            conversation.add(exchange.message());
            // After the answer has gone: the model is called only for a reply the sender knows about.
            vertx.runOnContext(x -> run.start(backend, conversation));
            return exchange.toJson();
          });
        }));
  }

  /** Ends every running reply as interrupted, its text stored, before the node goes. */
  @Override
  public Future<?> stop() {
    List<Future<Void>> ends = runs.values().stream().map(ReplyRun::interrupt).toList();
    return Future.join(ends).eventually(() -> {
      backend.close();
      return Future.succeededFuture();
    });
  }
}
