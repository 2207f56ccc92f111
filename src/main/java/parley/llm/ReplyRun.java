package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.MessageStatus;
import parley.chat.ReplyEvent;
import parley.chat.ReplyLog;
import parley.chat.TokenUsage;
import parley.store.StoreClient;

/**
 * One bot reply on the node that runs it (its owner): takes the model's text, numbers it,
 * publishes it, keeps it for replay while it runs, checkpoints it to the store, and ends it
 * exactly once, whether the model finished, failed, was stopped, or the node is shutting down.
 * Nothing here depends on anyone watching. Once it has ended, its log is handed over to be kept
 * for replay ({@link KeptReplies}) and the run itself is dropped.
 */
final class ReplyRun implements ModelBackend.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyRun.class);
  /** Final writes are retried this many times, a second apart, when the store is unreachable. */
  private static final int FINAL_WRITE_ATTEMPTS = 30;

  /** What every reply of a node works with: one value, made once by the verticle. */
  record Collaborators(Vertx vertx, StoreClient store, ReplyDirectory directory, long checkpointMs) {}

  private final Vertx vertx;
  private final EventBus bus;
  private final StoreClient store;
  private final ReplyDirectory directory;
  private final long checkpointMs;
  private final ChatId chatId;
  private final String replyId;
  /** Built once: every delta is published there. */
  private final String eventsAddress;
  private final ReplyLog log;
  private final String ownerId;
  private final Lifecycle lifecycle;
  private TokenUsage usage;
  private ReplyDirectory.Entry entry;
  private MessageConsumer<Object> terminateConsumer;
  private ModelBackend.ModelCall call;
  private long checkpointTimer = -1;
  private boolean dirty;
  private boolean checkpointInFlight;
  private Future<Void> ending;
  /** The chat or account is being deleted: the reply is not kept for replay once it has ended. */
  private boolean purge;

  /** What the verticle running the reply hears of its life. */
  interface Lifecycle {
    /** The reply has ended, with its final text, and is stored: it no longer streams (its end is announced after this). */
    Future<Void> ended(MessageStatus status, String text);

    /**
     * The reply has ended and its end is announced: its log is to be kept for replay under its
     * directory entry, unless {@code purge} (its chat or account is being deleted). The run is done.
     */
    void over(ReplyLog log, ReplyDirectory.Entry entry, boolean purge);
  }

  ReplyRun(Collaborators with, ChatMessage reply, String ownerId, ReplyDirectory.Entry entry, Lifecycle lifecycle) {
    this.vertx = with.vertx();
    this.bus = vertx.eventBus();
    this.store = with.store();
    this.directory = with.directory();
    this.checkpointMs = with.checkpointMs();
    this.chatId = reply.chatId();
    // The entry's string, not an equal copy: the kept reply holds it for minutes.
    this.replyId = entry.replyId();
    this.eventsAddress = Addresses.events(chatId);
    this.log = new ReplyLog(replyId);
    this.entry = entry;
    this.ownerId = ownerId;
    this.lifecycle = lifecycle;
  }

  /** Listens for terminate messages while the reply runs; done once every node can reach it. */
  Future<Void> open() {
    terminateConsumer = bus.consumer(Addresses.terminate(chatId), message -> terminate(false));
    return terminateConsumer.completion();
  }

  /** The deltas after {@code seq}, and the end once there is one: what a subscriber replays. */
  ReplyLog.Snapshot after(long seq) {
    return log.after(seq);
  }

  void start(ModelBackend backend, List<ChatMessage> conversation) {
    if (ending != null) {
      return;
    }
    call = backend.stream(conversation, this);
    checkpointTimer = vertx.setPeriodic(checkpointMs, id -> checkpoint());
  }

  @Override
  public void onText(String piece) {
    if (ending != null) {
      return;
    }
    ReplyEvent.Delta delta = log.append(piece);
    bus.publish(eventsAddress, delta.toJson());
    dirty = true;
  }

  @Override
  public void onUsage(long promptTokens, long completionTokens) {
    usage = new TokenUsage(promptTokens, completionTokens);
  }

  @Override
  public void onComplete() {
    end(MessageStatus.COMPLETE, null);
  }

  @Override
  public void onError(String reason) {
    LOG.info("Reply {} in chat {} failed: {}", replyId, chatId, reason);
    end(MessageStatus.ERROR, reason);
  }

  /** Stops the reply as terminate does; with {@code purge}, it is not kept for replay (its chat is being deleted). */
  void terminate(boolean purge) {
    this.purge |= purge;
    end(MessageStatus.TERMINATED, null);
  }

  /** The id of the user whose chat the reply is in. */
  String ownerId() {
    return ownerId;
  }

  ChatId chatId() {
    return chatId;
  }

  /** The node is going down: keep what arrived, marked interrupted. */
  Future<Void> interrupt() {
    return end(MessageStatus.INTERRUPTED, "the server stopped while the reply was streaming");
  }

  /** At most one checkpoint in flight, and only when the text changed: the token path never waits. */
  private void checkpoint() {
    if (!dirty || checkpointInFlight || ending != null) {
      return;
    }
    dirty = false;
    checkpointInFlight = true;
    store.checkpoint(replyId, log.text()).onComplete(done -> {
      checkpointInFlight = false;
      if (done.failed()) {
        dirty = true;
      }
    });
  }

  /**
   * Ends the reply once: stops the model (closing its connection), writes the final text and
   * status, then tells subscribers, and hands its log over to be kept for replay.
   */
  private Future<Void> end(MessageStatus status, String error) {
    if (ending != null) {
      return ending;
    }
    if (call != null && (status == MessageStatus.TERMINATED || status == MessageStatus.INTERRUPTED)) {
      call.cancel();
    }
    // An ended reply is kept for minutes for its replay: it must not keep its upstream request with it.
    call = null;
    if (checkpointTimer >= 0) {
      vertx.cancelTimer(checkpointTimer);
    }
    Promise<Void> written = Promise.promise();
    writeFinal(status, 1, written);
    // The chat is free again before anyone hears of the end, so a send right after it is accepted.
    ending = written.future()
        .otherwiseEmpty()
        .compose(v -> directory.markEnded(chatId, entry))
        .map(ended -> {
          entry = ended;
          return (Void) null;
        })
        .otherwiseEmpty()
        .compose(v -> lifecycle.ended(status, log.text()).otherwiseEmpty())
        .andThen(v -> {
          // Replay shows the end only from here on, for the same reason.
          ReplyEvent.End end = log.finish(status, error);
          bus.publish(eventsAddress, end.toJson());
          // Nothing is left to stop: a kept reply costs no registration, and the chat's next reply makes its own.
          terminateConsumer.unregister();
          lifecycle.over(log, entry, purge);
        });
    return ending;
  }

  /** Tells the caller after the first attempt; if that failed, keeps trying in the background. */
  private void writeFinal(MessageStatus status, int attempt, Promise<Void> firstAttempt) {
    store.finish(replyId, chatId, ownerId, log.text(), status, usage).onComplete(done -> {
      if (done.succeeded()) {
        firstAttempt.tryComplete();
        return;
      }
      firstAttempt.tryFail(done.cause());
      if (attempt < FINAL_WRITE_ATTEMPTS) {
        vertx.setTimer(1000, id -> writeFinal(status, attempt + 1, firstAttempt));
      } else {
        LOG.error("Gave up storing the final text of reply {} in chat {} ({} characters, status {})",
            replyId, chatId, log.text().length(), status.wire(), done.cause());
      }
    });
  }
}
