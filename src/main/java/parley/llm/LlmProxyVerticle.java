package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.auth.LocalUser;
import parley.bus.Addresses;
import parley.bus.BusAnswer;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatSettings;
import parley.chat.Context;
import parley.chat.ErrorCode;
import parley.chat.Exchange;
import parley.chat.MessageIds;
import parley.chat.MessageStatus;
import parley.chat.ModelIds;
import parley.chat.NewMessage;
import parley.chat.Rejection;
import parley.chat.ReplyLog;
import parley.chat.ReplyModel;
import parley.chat.Sender;
import parley.cluster.Membership;
import parley.config.Provider;
import parley.config.Settings;
import parley.store.AccountsClient;
import parley.store.StoreClient;

/**
 * Answers {@code parley.messages.send} (and regenerate): claims the chat, has the store record the
 * message and the new reply, answers, and only then calls the model the chat uses. The replies it
 * runs, and the catalog of models, live here.
 */
public final class LlmProxyVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LlmProxyVerticle.class);

  private static final Rejection NOT_STARTED =
      new Rejection(ErrorCode.UNAVAILABLE, "the reply could not be started, try again shortly");
  private static final Rejection MODEL_DOWN = new Rejection(ErrorCode.UNAVAILABLE, "the model cannot be reached");

  private final Settings settings;
  private final Membership membership;
  private final String nodeId;
  /** The replies running here, by id; once ended, they are in {@link #kept}. */
  private final Map<String, ReplyRun> runs = new HashMap<>();
  /** The field of a regenerate request naming the reply to do again. */
  public static final String MESSAGE_ID = "messageId";

  private ModelCatalog catalog;
  private ChatTitles titles;
  private ReplyDirectory directory;
  private KeptReplies kept;
  private StoreClient store;
  private ReplyRun.Collaborators replyCollaborators;
  private LocalUser localUser;
  private SendAdmission admission;
  private SendGate gate;

  public LlmProxyVerticle(Settings settings, Membership membership) {
    this.settings = settings;
    this.membership = membership;
    this.nodeId = membership.nodeId();
  }

  @Override
  public Future<?> start() {
    gate = new SendGate(settings.sendsAtOnce(), settings.sendWaitMs(), task -> context.runOnContext(v -> task.run()), System::nanoTime);
    catalog = new ModelCatalog(vertx, providers(), settings.modelsRefreshMs());
    catalog.providers().forEach(provider -> LOG.info("Replies may come from {}", provider.describe()));
    catalog.start();
    directory = new ReplyDirectory(vertx);
    store = new StoreClient(vertx.eventBus());
    titles = new ChatTitles(store, catalog, settings.titleModel());
    replyCollaborators = new ReplyRun.Collaborators(vertx, store, directory, settings.checkpointMs());
    kept = new KeptReplies(settings.replayRetentionMs(), System::nanoTime, (delayMs, ring) -> vertx.setTimer(delayMs, id -> ring.run()),
        reply -> directory.release(reply.chatId(), reply.entry()));
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
        BusAnswer.with(request, body -> gate.enter(() -> send(body, request.headers().get(Addresses.USER_HEADER))), LOG, NOT_STARTED);
    // Replay: the log of a reply this node runs or keeps; one it no longer keeps is answered "gone".
    Handler<Message<JsonObject>> replayHandler = request -> {
      String replyId = request.body().getString(ReplyClient.REPLY_ID);
      long after = request.body().getLong(ReplyClient.AFTER, 0L);
      ReplyRun run = runs.get(replyId);
      ReplyLog log = run == null ? kept.log(replyId) : null;
      if (run != null) {
        request.reply(run.after(after).toJson());
      } else if (log != null) {
        request.reply(log.after(after).toJson());
      } else {
        request.fail(ReplyClient.NOT_KEPT, "the reply is no longer kept");
      }
    };
    Handler<Message<JsonObject>> regenerateHandler = request ->
        BusAnswer.with(request, body -> gate.enter(() -> regenerate(body, request.headers().get(Addresses.USER_HEADER))), LOG,
            NOT_STARTED);
    Handler<Message<JsonObject>> modelsHandler = request ->
        BusAnswer.with(request, body -> catalog.list().map(ModelCatalog::toJson), LOG, MODEL_DOWN);
    Handler<Message<JsonObject>> pingHandler = request -> BusAnswer.with(request, body -> catalog.ping(), LOG, MODEL_DOWN);
    // A deleted chat's replies, running or kept, are forgotten at once, on whichever node has them.
    Handler<Message<JsonObject>> chatDeleted = message -> {
      ChatId chatId = new ChatId(message.body().getString(ReplyClient.CHAT_ID));
      String userId = message.body().getString(ReplyClient.USER_ID);
      List.copyOf(runs.values()).stream().filter(run -> run.chatId().equals(chatId) && run.ownerId().equals(userId))
          .forEach(run -> run.terminate(true));
      kept.forgetChat(chatId, userId);
    };
    // A deleted account's chats are gone: their replies stop and are forgotten, as a deleted chat's are.
    Handler<Message<JsonObject>> accountDeleted = message -> {
      String userId = message.body().getString("userId");
      List.copyOf(runs.values()).stream().filter(run -> run.ownerId().equals(userId)).forEach(run -> run.terminate(true));
      kept.forgetOwner(userId);
    };
    return Future.all(List.of(
            vertx.eventBus().consumer(Addresses.ACCOUNT_DELETED, accountDeleted).completion(),
            vertx.eventBus().consumer(Addresses.CHAT_DELETED, chatDeleted).completion(),
            vertx.eventBus().consumer(Addresses.SEND, sendHandler).completion(),
            vertx.eventBus().consumer(Addresses.replay(nodeId), replayHandler).completion(),
            vertx.eventBus().localConsumer(Addresses.SEND_LOCAL, sendHandler).completion(),
            vertx.eventBus().localConsumer(Addresses.REGENERATE_LOCAL, regenerateHandler).completion(),
            vertx.eventBus().localConsumer(Addresses.MODELS_LOCAL, modelsHandler).completion(),
            vertx.eventBus().localConsumer(Addresses.MODEL_PING, pingHandler).completion()))
        .compose(v -> orphans.interruptUnowned());
  }

  /** Each configured provider with the models it is fixed to (none: it lists its own), or the demo alone. */
  private Map<ModelProvider, List<String>> providers() {
    Map<ModelProvider, List<String>> providers = new LinkedHashMap<>();
    if (settings.demoModel()) {
      providers.put(new DemoBackend(vertx, settings.demoDelayMs()), List.of(DemoBackend.MODEL));
    }
    for (Provider provider : settings.providers()) {
      providers.put(new OpenAiCompatibleBackend(vertx, provider, settings.llmConnectTimeoutMs(), settings.llmIdleTimeoutMs()),
          provider.models());
    }
    return providers;
  }

  /**
   * One send, for the user the request acts for. The chat is not read first: the store reads it
   * as it writes the exchange, refusing someone else's chat, and settles the model ({@link
   * ReplyModel}): the one asked for is checked here before anything is written.
   */
  private Future<JsonObject> send(JsonObject body, String userHeader) {
    NewMessage sent = NewMessage.fromJson(body);
    String messageId = MessageIds.next();
    String replyId = MessageIds.next();
    return localUser.actingFor(userHeader).compose(userId -> catalog.choose(sent.model(), null).compose(fallback ->
        startReply(sent.chatId(), userId, replyId, fallback, () -> store.beginExchange(sent, userId, messageId, replyId,
            new ReplyModel(sent.model(), fallback.id()), settings.contextMaxChars()))));
  }

  /**
   * A new version of a bot reply ({@code POST /api/messages/:messageId/regenerate}): a sibling with
   * the same parent, streamed like any reply. Someone else's message looks like none at all.
   */
  private Future<JsonObject> regenerate(JsonObject body, String userHeader) {
    String messageId = body.getValue(MESSAGE_ID) instanceof String id && MessageIds.isWellFormed(id) ? id : null;
    String requested = ModelIds.optional(body.getValue(ChatMessage.MODEL));
    String replyId = MessageIds.next();
    return localUser.actingFor(userHeader).compose(userId -> (messageId == null
            ? Future.<ChatMessage>succeededFuture(null)
            : store.message(messageId))
        .compose(message -> (message == null ? Future.succeededFuture(ChatSettings.NONE) : store.settings(message.chatId()))
            .compose(chat -> {
              if (message == null || !userId.equals(chat.ownerId())) {
                return Future.failedFuture(new Rejection(ErrorCode.NOT_FOUND, "no message " + messageId));
              }
              if (message.sender() != Sender.BOT) {
                return Future.failedFuture(Rejection.badRequest("only a bot reply can be regenerated: to change a message, send "
                    + "the new text with the edited message's parentId"));
              }
              return catalog.choose(requested, chat.model()).compose(model -> startReply(message.chatId(), userId, replyId, model,
                  () -> store.beginRegeneration(message.chatId(), userId, messageId, replyId, model.id(), settings.contextMaxChars())));
            })));
  }

  /**
   * Claims the chat (one reply at a time), asks the user's limits, has the store record the
   * exchange (refusing, atomically, a chat of someone else's), and only after the answer calls the
   * model the reply was stored with, or {@code fallback} when that one is no longer offered.
   * Whatever fails before the exchange is stored undoes what came before it.
   */
  private Future<JsonObject> startReply(ChatId chatId, String userId, String replyId, ModelCatalog.Choice fallback,
      Supplier<Future<Exchange.WithHistory>> begin) {
    return directory.claim(chatId, replyId, userId, nodeId, store::ownerOf).compose(entry -> admission
        .admit(userId, replyId, nodeId)
        .compose(ticket -> begin.get().recover(failure -> ticket.undo().transform(v -> Future.failedFuture(failure))))
        .recover(failure -> directory.release(chatId, entry).transform(v -> Future.failedFuture(failure)))
        .compose(begun -> offered(begun, userId, fallback).compose(model -> run(chatId, userId, replyId, entry, begun, model))));
  }

  /** Runs the stored reply with {@code model}: answered at once, and the model called after the answer. */
  private Future<JsonObject> run(ChatId chatId, String userId, String replyId, ReplyDirectory.Entry entry, Exchange.WithHistory begun,
      ModelCatalog.Choice model) {
    Exchange exchange = model.id().equals(begun.exchange().reply().model())
        ? begun.exchange()
        : new Exchange(begun.exchange().message(), begun.exchange().reply().withModel(model.id()));
    ChatSettings chat = begun.settings();
    List<ChatMessage> context = Context.capped(begun.conversation(), settings.contextMaxChars());
    // Handed over once, at the end: a reply kept for replay must not keep its whole context.
    AtomicReference<List<ChatMessage>> forTitle = new AtomicReference<>(context);
    ReplyRun run = new ReplyRun(replyCollaborators, exchange.reply(), userId, entry, new ReplyRun.Lifecycle() {
      @Override
      public Future<Void> ended(MessageStatus status, String text) {
        List<ChatMessage> asked = forTitle.getAndSet(null);
        if (status == MessageStatus.COMPLETE && asked != null) {
          titles.replyCompleted(chatId, model, asked, text);
        }
        return admission.ended(userId, replyId).onFailure(e -> LOG.warn("Could not count the end of reply {}", replyId, e));
      }

      @Override
      public void over(ReplyLog log, ReplyDirectory.Entry ended, boolean purge) {
        runs.remove(replyId);
        if (purge) {
          directory.release(chatId, ended);
        } else {
          kept.keep(chatId, ended, log);
        }
      }
    });
    runs.put(replyId, run);
    ModelBackend backend = model.provider().backend(new ModelRequest(model.name(), chat.systemPrompt(), chat.temperature()));
    return run.open().map(v -> {
      // After the answer has gone: the model is called only for a reply the sender knows about.
      vertx.runOnContext(x -> run.start(backend, context));
      return exchange.toJson();
    });
  }

  /**
   * The model the store settled on, if it is still offered; otherwise (a chat's own model that
   * is gone) the fallback, which the reply and the chat are then stored with. That write is not
   * worth failing a stored send for: the reply runs either way.
   */
  private Future<ModelCatalog.Choice> offered(Exchange.WithHistory begun, String userId, ModelCatalog.Choice fallback) {
    ChatMessage reply = begun.exchange().reply();
    ModelCatalog.Choice stored = catalog.find(reply.model());
    if (stored != null) {
      return Future.succeededFuture(stored);
    }
    return store.replyModel(reply.chatId(), userId, reply.id(), reply.model(), fallback.id())
        .otherwise(failure -> {
          LOG.warn("Reply {} is answered by {}, but the store still names {}", reply.id(), fallback.id(), reply.model(), failure);
          return null;
        })
        .map(fallback);
  }

  /** Ends every running reply as interrupted, its text stored, before the node goes. */
  @Override
  public Future<?> stop() {
    gate.close();
    List<Future<Void>> ends = runs.values().stream().map(ReplyRun::interrupt).toList();
    return Future.join(ends).eventually(() -> {
      catalog.close();
      return Future.succeededFuture();
    });
  }
}
