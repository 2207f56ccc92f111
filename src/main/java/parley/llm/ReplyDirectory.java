package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashMap;
import java.util.Map;
import parley.chat.ChatId;
import parley.chat.ErrorCode;
import parley.chat.Rejection;

/**
 * Which reply each chat has, whose chat it is, which node runs the reply, and whether it is still
 * running: a Vert.x shared map, so it is one map for the whole cluster when the node is clustered.
 * Claiming a chat is an atomic compare-and-set on it, which makes "one reply at a time per chat"
 * hold across nodes. Because an entry names its chat's owner, watching and stopping a reply need
 * no trip to the store: a chat with no entry has no reply to show or stop, whoever asks.
 */
public final class ReplyDirectory {
  static final String MAP_NAME = "parley.replies";

  private final Vertx vertx;

  public ReplyDirectory(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A chat's latest reply. Stored as its JSON text, so equal entries compare equal on every node. */
  public record Entry(String replyId, String ownerId, String nodeId, boolean running) {
    String encode() {
      return new JsonObject().put("replyId", replyId).put("ownerId", ownerId).put("nodeId", nodeId).put("running", running).encode();
    }

    static Entry decode(String text) {
      JsonObject json = new JsonObject(text);
      return new Entry(json.getString("replyId"), json.getString("ownerId"), json.getString("nodeId"), json.getBoolean("running"));
    }

    Entry ended() {
      return new Entry(replyId, ownerId, nodeId, false);
    }

    /** Whether the chat is the user's: the check of watching and stopping a reply. */
    public boolean ownedBy(String userId) {
      return ownerId.equals(userId);
    }
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP_NAME);
  }

  /**
   * Makes the reply the chat's running one, unless another is running (409 busy). With no entry
   * the claim is made at once: the store, which refuses to record an exchange in someone else's
   * chat, has the last word, and the caller then releases the claim, which took nobody's reply
   * away. When the chat's latest reply is someone else's, the store is asked whose chat it is
   * ({@link Ownership}): someone else's is refused; the user's own is claimed even over a running
   * entry, which can only be a stranger's send that the store is about to refuse (so a stranger
   * cannot keep the owner busy); nobody's (new, or deleted) waits while someone's first send runs.
   */
  public Future<Entry> claim(ChatId chatId, String replyId, String ownerId, String nodeId, Ownership ownership) {
    Entry entry = new Entry(replyId, ownerId, nodeId, true);
    String encoded = entry.encode();
    return map().compose(map -> map.putIfAbsent(chatId.value(), encoded).compose(previous -> {
      if (previous == null) {
        return Future.succeededFuture(entry);
      }
      Entry latest = Entry.decode(previous);
      Future<Boolean> mayReplace = latest.ownedBy(ownerId)
          ? Future.succeededFuture(!latest.running())
          : ownership.ownerOf(chatId).compose(owner -> owner != null && !owner.equals(ownerId)
              ? Future.failedFuture(Rejection.chatIdTaken())
              : Future.succeededFuture(owner != null || !latest.running()));
      return mayReplace.compose(replace -> replace
          ? map.replaceIfPresent(chatId.value(), previous, encoded)
          : Future.succeededFuture(false))
          .compose(replaced -> replaced ? Future.succeededFuture(entry) : Future.failedFuture(busy()));
    }));
  }

  /** Whose a chat is, asked only when its latest reply is someone else's. */
  public interface Ownership {
    /** The chat's owner, or null for a chat that does not exist. */
    Future<String> ownerOf(ChatId chatId);
  }

  static Rejection busy() {
    return new Rejection(ErrorCode.BUSY, "a reply is still streaming in this chat: wait for it or stop it");
  }

  public Future<Entry> markEnded(ChatId chatId, Entry running) {
    Entry ended = running.ended();
    return map().compose(map -> map.replaceIfPresent(chatId.value(), running.encode(), ended.encode())).map(ended);
  }

  /** Forgets the entry, unless the chat has moved on to another reply meanwhile. */
  public Future<Void> release(ChatId chatId, Entry entry) {
    return map().compose(map -> map.removeIfPresent(chatId.value(), entry.encode())).mapEmpty();
  }

  /** Every chat's latest reply. */
  public Future<Map<ChatId, Entry>> entries() {
    return map().compose(AsyncMap::entries).map(all -> {
      Map<ChatId, Entry> entries = new HashMap<>();
      all.forEach((chatId, text) -> entries.put(new ChatId(chatId), Entry.decode(text)));
      return entries;
    });
  }

  /** The chat's latest reply, or null. */
  public Future<Entry> lookup(ChatId chatId) {
    return map().compose(map -> map.get(chatId.value())).map(text -> text == null ? null : Entry.decode(text));
  }

  /** The user's chat's latest reply, or null: someone else's chat has none, as a chat that does not exist. */
  public Future<Entry> lookup(ChatId chatId, String userId) {
    return lookup(chatId).map(entry -> entry != null && entry.ownedBy(userId) ? entry : null);
  }
}
