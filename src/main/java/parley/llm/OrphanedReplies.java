package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.MessageStatus;
import parley.chat.ReplyEvent;
import parley.store.StoreClient;

/**
 * Replies whose node is gone: they must not stay "streaming" forever. Their text stays as last
 * checkpointed, their status becomes interrupted, and anyone still watching is told.
 */
final class OrphanedReplies {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanedReplies.class);
  static final String NODE_GONE = "the server running this reply stopped";

  private final EventBus bus;
  private final StoreClient store;
  private final ReplyDirectory directory;

  OrphanedReplies(EventBus bus, StoreClient store, ReplyDirectory directory) {
    this.bus = bus;
    this.store = store;
    this.directory = directory;
  }

  /**
   * Every reply the store has as streaming that no live node runs: at start (a single node's own
   * earlier run, or a whole cluster that went down), and after a node left (in case the cluster
   * lost its directory entry with it).
   */
  Future<Integer> interruptUnowned() {
    return store.streamingReplies().compose(streaming -> {
      List<Future<Boolean>> checks = new ArrayList<>();
      for (ChatMessage reply : streaming) {
        checks.add(directory.lookup(reply.chatId()).compose(entry -> {
          boolean running = entry != null && entry.running() && entry.replyId().equals(reply.id());
          return running ? Future.succeededFuture(false) : interrupt(reply.chatId(), reply.id()).map(true);
        }));
      }
      return Future.all(checks).map(done -> (int) checks.stream().filter(check -> check.result()).count());
    }).andThen(result -> {
      if (result.succeeded() && result.result() > 0) {
        LOG.info("Marked {} reply(ies) left streaming by a stopped node as interrupted", result.result());
      }
    });
  }

  /** A node left the cluster: end what it was running and forget what it kept for replay. */
  Future<Void> nodeLeft(String nodeId) {
    return directory.entries().compose(entries -> {
      List<Future<Void>> ends = new ArrayList<>();
      for (Map.Entry<ChatId, ReplyDirectory.Entry> item : entries.entrySet()) {
        ReplyDirectory.Entry entry = item.getValue();
        if (!entry.nodeId().equals(nodeId)) {
          continue;
        }
        ChatId chatId = item.getKey();
        // The chat is freed before its end is announced, so a send right after the end is accepted.
        Future<Void> released = directory.release(chatId, entry);
        ends.add(entry.running() ? released.compose(v -> interrupt(chatId, entry.replyId())) : released);
      }
      LOG.info("Node {} left the cluster; cleaning up its {} reply(ies)", nodeId, ends.size());
      return Future.join(ends).mapEmpty();
    }).compose(v -> interruptUnowned()).mapEmpty();
  }

  /** Stored as interrupted with its last checkpoint; watchers get the end (their last seq stands). */
  private Future<Void> interrupt(ChatId chatId, String replyId) {
    return store.interrupt(replyId).andThen(v -> bus.publish(Addresses.events(chatId),
        new ReplyEvent.End(replyId, MessageStatus.INTERRUPTED, NODE_GONE, 0).toJson()));
  }
}
