package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.chat.Exchange;
import parley.chat.NewMessage;
import parley.chat.ReplyLog;

/** What the HTTP verticle (or any other) asks of replies, wherever in the cluster they run. */
public final class ReplyClient {
  private final Vertx vertx;
  private final ReplyDirectory directory;

  public ReplyClient(Vertx vertx) {
    this.vertx = vertx;
    this.directory = new ReplyDirectory(vertx);
  }

  public Future<Exchange> send(NewMessage sent) {
    return vertx.eventBus().<JsonObject>request(Addresses.SEND_LOCAL, sent.toJson()).map(reply -> Exchange.fromJson(reply.body()));
  }

  /** The chat's latest reply, running or kept for replay, or null. */
  public Future<ReplyDirectory.Entry> latest(ChatId chatId) {
    return directory.lookup(chatId);
  }

  /** The reply's deltas after {@code afterSeq}; null when its node no longer keeps it. */
  public Future<ReplyLog.Snapshot> replay(String replyId, long afterSeq) {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.replay(replyId), new JsonObject().put("after", afterSeq))
        .map(reply -> ReplyLog.Snapshot.fromJson(reply.body()))
        .recover(failure -> failure instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture(null)
            : Future.failedFuture(failure));
  }

  /**
   * Publishes terminate for the chat; true when a reply was running. With {@code purge}, the
   * reply's replay log goes too (the chat is being deleted).
   */
  public Future<Boolean> terminate(ChatId chatId, boolean purge) {
    return directory.lookup(chatId).map(entry -> {
      vertx.eventBus().publish(Addresses.terminate(chatId), new JsonObject().put(ReplyRun.PURGE, purge));
      return entry != null && entry.running();
    });
  }
}
