package parley.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.auth.LocalUser;
import parley.bus.Addresses;
import parley.bus.BusAnswer;
import parley.chat.ChatSummary;
import parley.chat.ErrorCode;
import parley.chat.HistoryQuery;
import parley.chat.Rejection;
import parley.chat.TokenUsage;
import parley.search.SearchTerms;
import parley.transfer.ChatExport;
import parley.store.StoreRequests.BeginExchange;
import parley.store.StoreRequests.BeginRegeneration;
import parley.store.StoreRequests.ChatOwner;
import parley.store.StoreRequests.Checkpoint;
import parley.store.StoreRequests.DeleteChat;
import parley.store.StoreRequests.ExportChat;
import parley.store.StoreRequests.ImportChats;
import parley.store.StoreRequests.FindMessage;
import parley.store.StoreRequests.Finish;
import parley.store.StoreRequests.Interrupt;
import parley.store.StoreRequests.PatchChat;
import parley.store.StoreRequests.ReplyModelChange;
import parley.store.StoreRequests.Search;

/** Owns the Mongo client and answers the store's addresses; every other verticle reaches it by the bus. */
public final class PersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);

  /** Checkpoints arriving within this long of a batch's start go together in the next one. */
  private static final long CHECKPOINT_BATCH_GAP_MS = 50;

  private static final Rejection STORE_DOWN =
      new Rejection(ErrorCode.STORE_UNAVAILABLE, "the message store is unavailable, try again shortly");

  private final StoreBackend backend;
  private final boolean accountsOn;
  private MongoClient mongo;
  private MessageStore store;
  private AccountStore accounts;
  private SearchIndex search;
  private LocalUser localUser;

  /**
   * @param backend opened by the caller, who closes it after this verticle has stopped
   * @param accountsOn whether people sign in: then a public request must say for whom it acts
   */
  public PersistenceVerticle(StoreBackend backend, boolean accountsOn) {
    this.backend = backend;
    this.accountsOn = accountsOn;
  }

  @Override
  public Future<?> start() {
    mongo = MongoClient.create(vertx, backend.mongoClientConfig());
    search = backend.search(mongo);
    store = new MessageStore(mongo, Clock.systemUTC(), backend::flush, search);
    accounts = new AccountStore(mongo, Clock.systemUTC(), backend::flush, search);
    localUser = new LocalUser(accounts, accountsOn);
    // Recovery comes before anything is answered: no reply of this run may start first.
    return store.createIndexes()
        .compose(v -> accounts.createIndexes())
        .compose(v -> accounts.ownOwnerlessChats())
        .compose(v -> backend.recover(store))
        .compose(v -> search.start(store))
        .map(v -> {
          listen();
          return null;
        });
  }

  private void listen() {
    CheckpointBatcher checkpoints = new CheckpointBatcher(vertx, CHECKPOINT_BATCH_GAP_MS,
        batch -> backend.saveCheckpoints(batch, store));
    // Internal operations stay on this node (its own verticle, the shared database); only the
    // public queries are offered to the whole cluster.
    var bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.STORE_BEGIN_EXCHANGE, answer(body -> {
      BeginExchange begin = BeginExchange.fromJson(body);
      return store.beginExchange(begin.sent(), begin.ownerId(), begin.messageId(), begin.replyId(), begin.model(),
              begin.contextMaxChars())
          .map(StoreRequests::exchangeToJson);
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_BEGIN_REGENERATION, answer(body -> {
      BeginRegeneration begin = BeginRegeneration.fromJson(body);
      return store.beginRegeneration(begin.chatId(), begin.ownerId(), begin.replyToRedo(), begin.replyId(), begin.model(),
              begin.contextMaxChars())
          .map(StoreRequests::exchangeToJson);
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_MESSAGE, answer(body -> store.message(FindMessage.fromJson(body).messageId())
        .map(message -> StoreRequests.messageToJson(message == null ? null : backend.withLatestCheckpoints(List.of(message)).get(0)))));
    bus.<JsonObject>localConsumer(Addresses.STORE_REPLY_MODEL, answer(body -> {
      ReplyModelChange change = ReplyModelChange.fromJson(body);
      return store.replyModel(change.chatId(), change.ownerId(), change.replyId(), change.gone(), change.model()).map(new JsonObject());
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_CHAT_SETTINGS, answer(body -> store.settings(ChatOwner.fromJson(body).chatId())
        .map(StoreRequests::settingsToJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_PATCH_CHAT, answer(body -> {
      PatchChat patch = PatchChat.fromJson(body);
      return store.patchChat(patch.chatId(), patch.ownerId(), patch.patch()).map(ChatSummary::toJson);
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_CLAIM_TITLE, answer(body -> store.claimTitle(StoreRequests.chatOf(body))
        .map(StoreRequests::claimedToJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_TITLED, answer(body -> store.titled(StoreRequests.chatOf(body),
        StoreRequests.titleFromJson(body))));
    bus.<JsonObject>localConsumer(Addresses.STORE_CHECKPOINT, answer(body -> {
      Checkpoint checkpoint = Checkpoint.fromJson(body);
      return checkpoints.add(checkpoint.replyId(), checkpoint.content());
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_FINISH, answer(body -> {
      Finish finish = Finish.fromJson(body);
      // The final text supersedes any checkpoint still waiting for its batch.
      checkpoints.drop(finish.replyId());
      TokenUsage usage = finish.usage() == null ? new TokenUsage(0, 0) : finish.usage();
      return store.finish(finish.replyId(), finish.chatId(), finish.ownerId(), finish.content(), finish.status(), finish.usage())
          .compose(endedNow -> backend.replyEnded(finish.replyId())
              .compose(v -> endedNow
                  ? accounts.addUsage(finish.ownerId(), usage.promptTokens(), usage.completionTokens())
                  : Future.succeededFuture()));
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_STREAMING, answer(body -> store.streamingReplies().map(StoreRequests::messagesToJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_INTERRUPT, answer(body -> store.interrupt(Interrupt.fromJson(body).replyId())));
    bus.<JsonObject>localConsumer(Addresses.STORE_PING, answer(body -> mongo
        .runCommand("ping", new JsonObject().put("ping", 1)).compose(ok -> search.state()).map(StoreRequests::databaseReachable)));
    bus.<JsonObject>localConsumer(Addresses.STORE_SEARCH, answer(body -> {
      Search request = Search.fromJson(body);
      return search.search(request.userId(), SearchTerms.parse(request.query().q()), request.query().limit())
          .map(StoreRequests::hitsToJson);
    }));
    // Public: other services in the cluster, or behind the TCP bridge, may read history too.
    bus.<JsonObject>consumer(Addresses.HISTORY, request -> BusAnswer.with(request, body -> actingFor(request)
        .compose(userId -> store.history(HistoryQuery.fromJson(body), userId))
        .map(messages -> StoreRequests.messagesToJson(backend.withLatestCheckpoints(messages))), LOG, STORE_DOWN));
    bus.<JsonObject>consumer(Addresses.CHATS, request -> BusAnswer.with(request, body -> actingFor(request)
        .compose(userId -> store.chats(userId, StoreRequests.withArchived(body))).map(StoreRequests::chatsToJson), LOG, STORE_DOWN));
    bus.<JsonObject>localConsumer(Addresses.STORE_DELETE_CHAT, answer(body -> {
      DeleteChat delete = DeleteChat.fromJson(body);
      return store.deleteChat(delete.chatId(), delete.ownerId());
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_EXPORT_CHAT, answer(body -> {
      ExportChat export = ExportChat.fromJson(body);
      return store.exportChat(export.chatId(), export.ownerId())
          .map(chat -> StoreRequests.exportToJson(new ChatExport(chat.chat(), backend.withLatestCheckpoints(chat.messages()))));
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_IMPORT_CHATS, answer(body -> {
      ImportChats imported = ImportChats.fromJson(body);
      return store.importChats(imported.ownerId(), imported.chats()).map(StoreRequests::chatsToJson);
    }));
    bus.<JsonObject>localConsumer(Addresses.STORE_CHAT_OWNER, answer(body -> store
        .ownerOf(ChatOwner.fromJson(body).chatId()).map(StoreRequests::ownerToJson)));
    bus.<JsonObject>localConsumer(Addresses.STORE_ACCOUNTS, AccountsClient.endpoint(accounts));
  }

  private Future<String> actingFor(Message<JsonObject> request) {
    return localUser.actingFor(request.headers().get(Addresses.USER_HEADER));
  }

  @Override
  public Future<?> stop() {
    return mongo.close();
  }

  private <T> Handler<Message<JsonObject>> answer(Function<JsonObject, Future<T>> operation) {
    return request -> BusAnswer.with(request, operation, LOG, STORE_DOWN);
  }
}
