package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.Exchange;
import parley.chat.NewMessage;
import parley.chat.ReplyLog;
import parley.store.StoreClient;

/**
 * What the HTTP verticle or the bridge asks of replies, wherever in the cluster they run, always
 * for a user: someone else's chat looks like one that does not exist.
 */
public final class ReplyClient {
  /** The replay request's fields, and the failure code of a reply its node no longer keeps. */
  static final String REPLY_ID = "replyId";
  static final String AFTER = "after";
  /** The field of a chat-deleted message. */
  static final String CHAT_ID = "chatId";
  static final String USER_ID = "userId";
  static final int NOT_KEPT = 404;

  private final Vertx vertx;
  private final ReplyDirectory directory;
  private final StoreClient store;

  public ReplyClient(Vertx vertx) {
    this.vertx = vertx;
    this.directory = new ReplyDirectory(vertx);
    this.store = new StoreClient(vertx.eventBus());
  }

  public Future<Exchange> send(NewMessage sent, String userId) {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.SEND_LOCAL, sent.toJson(), new DeliveryOptions().addHeader(Addresses.USER_HEADER, userId))
        .map(reply -> Exchange.fromJson(reply.body()));
  }

  /** A new version of the user's bot reply {@code messageId}, by {@code model} (null: the chat's); answers {reply}. */
  public Future<Exchange> regenerate(String messageId, String model, String userId) {
    JsonObject request = new JsonObject().put(LlmProxyVerticle.MESSAGE_ID, messageId).put(ChatMessage.MODEL, model);
    return vertx.eventBus()
        .<JsonObject>request(Addresses.REGENERATE_LOCAL, request, new DeliveryOptions().addHeader(Addresses.USER_HEADER, userId))
        .map(reply -> Exchange.fromJson(reply.body()));
  }

  /** The models replies can use, as {@code GET /api/models} answers them. */
  public Future<JsonArray> models() {
    return vertx.eventBus().<JsonArray>request(Addresses.MODELS_LOCAL, new JsonObject()).map(reply -> reply.body());
  }

  /** Whether {@code GET /api/models} lists this model id. */
  public Future<Boolean> knowsModel(String modelId) {
    return models().map(models -> models.stream()
        .anyMatch(model -> model instanceof JsonObject entry && modelId.equals(entry.getString("id"))));
  }

  /** The id of the user whose chat it is, or null while no such chat exists. */
  public Future<String> ownerOf(ChatId chatId) {
    return store.ownerOf(chatId);
  }

  /** The user's chat's latest reply, running or kept for replay, or null (also for someone else's chat). */
  public Future<ReplyDirectory.Entry> latest(ChatId chatId, String userId) {
    return directory.lookup(chatId, userId);
  }

  /** The reply's deltas after {@code afterSeq}, from the node that runs it; null when it no longer keeps it (or is gone). */
  public Future<ReplyLog.Snapshot> replay(ReplyDirectory.Entry reply, long afterSeq) {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.replay(reply.nodeId()), new JsonObject().put(REPLY_ID, reply.replyId()).put(AFTER, afterSeq))
        .map(answer -> ReplyLog.Snapshot.fromJson(answer.body()))
        .recover(failure -> failure instanceof ReplyException e
                && (e.failureType() == ReplyFailure.NO_HANDLERS || e.failureCode() == NOT_KEPT)
            ? Future.succeededFuture(null)
            : Future.failedFuture(failure));
  }

  /**
   * Stops the user's chat's running reply, wherever it runs; true when one was running. With
   * {@code purge}, the chat's replies are forgotten at once, running or kept for replay, on every
   * node (the chat is being deleted). Someone else's chat: nothing happens, and the answer is false.
   */
  public Future<Boolean> terminate(ChatId chatId, boolean purge, String userId) {
    return directory.lookup(chatId, userId).map(entry -> {
      if (purge) {
        // Even with no entry in the directory (a later send took it and failed), earlier replies of
        // the chat may still be kept; every node forgets only what is the user's.
        vertx.eventBus().publish(Addresses.CHAT_DELETED, new JsonObject().put(CHAT_ID, chatId.value()).put(USER_ID, userId));
      } else if (entry != null) {
        vertx.eventBus().publish(Addresses.terminate(chatId), new JsonObject());
      }
      return entry != null && entry.running();
    });
  }
}
