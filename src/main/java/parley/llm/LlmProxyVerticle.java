package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.auth.LocalUser;
import parley.bus.Addresses;
import parley.bus.BusAnswer;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.Context;
import parley.chat.ErrorCode;
import parley.chat.Exchange;
import parley.chat.MessageIds;
import parley.chat.NewMessage;
import parley.chat.Rejection;
import parley.cluster.Membership;
import parley.config.Settings;
import parley.store.AccountsClient;
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
  private LocalUser localUser;
  private SendAdmission admission;

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
    AccountsClient accounts = new AccountsClient(vertx.eventBus());
    localUser = new LocalUser(accounts, settings.access().accounts());
    admission = new SendAdmission(vertx, settings.access(), accounts, Clock.systemUTC());
    OrphanedReplies orphans = new OrphanedReplies(vertx.eventBus(), store, directory);
    membership.onNodeLeft(nodeId -> context.runOnContext(v -> {
      if (membership.isCoordinator()) {
        orphans.nodeLeft(nodeId)
            .compose(x -> admission.nodeLeft(nodeId))
            .onFailure(e -> LOG.warn("Could not end the replies of node {}", nodeId, e));
      }
    }));
    Handler<Message<JsonObject>> sendHandler = request ->
        BusAnswer.with(request, body -> send(body, request.headers().get(Addresses.USER_HEADER)), LOG, NOT_STARTED);
    // Replay: the log of a reply this node runs or keeps; one it no longer keeps is answered "gone".
    Handler<Message<JsonObject>> replayHandler = request -> {
      ReplyRun run = runs.get(request.body().getString(ReplyClient.REPLY_ID));
      if (run == null) {
        request.fail(ReplyClient.NOT_KEPT, "the reply is no longer kept");
      } else {
        request.reply(run.after(request.body().getLong(ReplyClient.AFTER, 0L)).toJson());
      }
    };
    Handler<Message<JsonObject>> pingHandler = request -> BusAnswer.with(request, body -> backend.ping(), LOG, MODEL_DOWN);
    // A deleted account's chats are gone: their replies stop, as a deleted chat's do.
    Handler<Message<JsonObject>> accountDeleted = message -> List.copyOf(runs.values()).stream()
        .filter(run -> run.ownerId().equals(message.body().getString("userId")))
        .forEach(run -> run.terminate(true));
    return Future.all(
            vertx.eventBus().consumer(Addresses.ACCOUNT_DELETED, accountDeleted).completion(),
            vertx.eventBus().consumer(Addresses.SEND, sendHandler).completion(),
            vertx.eventBus().consumer(Addresses.replay(nodeId), replayHandler).completion(),
            vertx.eventBus().localConsumer(Addresses.SEND_LOCAL, sendHandler).completion(),
            vertx.eventBus().localConsumer(Addresses.MODEL_PING, pingHandler).completion())
        .compose(v -> orphans.interruptUnowned());
  }

  /**
   * One send, for the user the request acts for: someone else's chat is refused, the chat is
   * claimed (one reply at a time), the user's limits are asked, the store records the exchange
   * (refusing, atomically, a chat that became someone else's meanwhile),
   * and only after the answer is the model called. Whatever fails undoes what came before it.
   */
  private Future<JsonObject> send(JsonObject body, String userHeader) {
    NewMessage sent = NewMessage.fromJson(body);
    String messageId = MessageIds.next();
    String replyId = MessageIds.next();
    return localUser.actingFor(userHeader).compose(userId -> directory
        .claim(sent.chatId(), replyId, userId, nodeId, this::mayClaim).compose(entry -> admission
        .admit(userId, replyId, nodeId)
        .compose(ticket -> store.beginExchange(sent, userId, messageId, replyId, settings.contextMessages())
            .recover(failure -> ticket.undo().transform(v -> Future.failedFuture(failure))))
        .recover(failure -> directory.release(sent.chatId(), entry).transform(v -> Future.failedFuture(failure)))
        .compose(begun -> {
          Exchange exchange = begun.exchange();
          ReplyRun run = new ReplyRun(replyCollaborators, exchange.reply(), userId, entry, new ReplyRun.Lifecycle() {
            @Override
            public Future<Void> ended() {
              return admission.ended(userId, replyId).onFailure(e -> LOG.warn("Could not count the end of reply {}", replyId, e));
            }

            @Override
            public void forgotten() {
              runs.remove(replyId);
            }
          });
          runs.put(replyId, run);
          return run.open().map(v -> {
            List<ChatMessage> conversation = new ArrayList<>(begun.history());
            conversation.add(exchange.message());
            List<ChatMessage> context = Context.capped(conversation, settings.contextMaxChars());
            // After the answer has gone: the model is called only for a reply the sender knows about.
            vertx.runOnContext(x -> run.start(backend, context));
            return exchange.toJson();
          });
        })));
  }

  /** A chat whose latest reply is someone else's may be claimed only if it is the user's, or nobody's (deleted). */
  private Future<Void> mayClaim(ChatId chatId, String userId) {
    return store.ownerOf(chatId).compose(owner -> owner == null || owner.equals(userId)
        ? Future.succeededFuture()
        : Future.failedFuture(Rejection.chatIdTaken()));
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
