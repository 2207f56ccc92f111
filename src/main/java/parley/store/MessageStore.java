package parley.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import parley.chat.ChatId;
import parley.chat.ChatSummary;
import parley.chat.Exchange;
import parley.chat.HistoryQuery;
import parley.chat.Message;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.chat.Rejection;
import parley.chat.Sender;

/**
 * Messages and chats in MongoDB. Two collections: {@code messages} (one document a message, the
 * record of truth) and {@code chats} (one document a chat, so the chat list never scans messages).
 *
 * <p>A chat's order is the order of the ids its chat document lists.
 */
public final class MessageStore {
  static final String MESSAGES = "messages";
  static final String CHATS = "chats";
  /** In each chat document: its message ids, oldest first. */
  static final String MESSAGE_IDS = "messageIds";

  private final MongoClient mongo;
  private final Clock clock;
  private final Durability durability;

  /** Makes acknowledged writes survive a crash of this process; a real MongoDB journals by itself. */
  @FunctionalInterface
  public interface Durability {
    Future<Void> flush();

    Durability NONE = Future::succeededFuture;
  }

  public MessageStore(MongoClient mongo, Clock clock, Durability durability) {
    this.mongo = mongo;
    this.clock = clock;
    this.durability = durability;
  }

  public Future<Void> createIndexes() {
    return mongo
        .createIndexWithOptions(MESSAGES, new JsonObject().put("chatId", 1).put("createdAt", 1).put("_id", 1), new IndexOptions())
        // Serves the {_id, status} filter of every checkpoint and final write. Unique, because
        // mongo-java-server uses only unique indexes, and only for queries on exactly their keys.
        .compose(v -> mongo.createIndexWithOptions(MESSAGES, new JsonObject().put("_id", 1).put("status", 1), new IndexOptions().unique(true)))
        .compose(v -> mongo.createIndexWithOptions(MESSAGES, new JsonObject().put("status", 1), new IndexOptions()))
        .compose(v -> mongo.createIndexWithOptions(CHATS, new JsonObject().put("updatedAt", -1), new IndexOptions()));
  }

  /**
   * Stores the user message and the new streaming reply, and returns them with the messages that
   * came before (the model's context). Either both messages are stored or neither is.
   */
  public Future<Exchange.WithHistory> beginExchange(NewMessage sent, String messageId, String replyId, int contextMessages) {
    Instant now = clock.instant();
    Message message = new Message(messageId, sent.chatId(), Sender.USER, sent.content(), MessageStatus.COMPLETE, now);
    Message reply = new Message(replyId, sent.chatId(), Sender.BOT, "", MessageStatus.STREAMING, now);
    // The context read and the inserts do not depend on each other: run them together. join, not
    // all: a rollback must not start while an insert may still land.
    Future<List<Message>> history = recent(sent.chatId(), contextMessages);
    Future<?> inserted = mongo.bulkWrite(MESSAGES,
        List.of(BulkOperation.createInsert(toDocument(message)), BulkOperation.createInsert(toDocument(reply))));
    return Future.join(history, inserted)
        .compose(both -> touchChat(sent, message.id(), reply.id(), now))
        .recover(failure -> inserted.succeeded()
            ? mongo.removeDocuments(MESSAGES, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray().add(message.id()).add(reply.id()))))
                .transform(ignored -> Future.failedFuture(failure))
            : Future.failedFuture(failure))
        .compose(v -> durability.flush())
        .map(v -> new Exchange.WithHistory(new Exchange(message, reply), history.result()));
  }

  private Future<Void> touchChat(NewMessage sent, String messageId, String replyId, Instant now) {
    JsonObject update = new JsonObject()
        .put("$setOnInsert", new JsonObject().put("title", ChatSummary.titleFrom(sent.content())))
        .put("$set", new JsonObject().put("updatedAt", Message.timestamp(now)))
        .put("$inc", new JsonObject().put("messageCount", 2))
        .put("$push", new JsonObject().put(MESSAGE_IDS, new JsonObject().put("$each", new JsonArray().add(messageId).add(replyId))));
    return mongo
        .updateCollectionWithOptions(CHATS, new JsonObject().put("_id", sent.chatId().value()), update, new UpdateOptions().setUpsert(true))
        .mapEmpty();
  }

  /**
   * Saves the text streaming replies have so far, in one bulk write and one commit; a reply that
   * has already ended is left alone.
   */
  public Future<Void> checkpoint(Map<String, String> contentByReply) {
    List<BulkOperation> updates = new ArrayList<>(contentByReply.size());
    contentByReply.forEach((replyId, content) -> updates.add(BulkOperation.createUpdate(
        streamingReply(replyId), new JsonObject().put("$set", new JsonObject().put("content", content)))));
    return mongo.bulkWrite(MESSAGES, updates).compose(v -> durability.flush());
  }

  /** Writes a reply's final text and status, once; later writes for the same reply change nothing. */
  public Future<Void> finish(String replyId, ChatId chatId, String content, MessageStatus status) {
    JsonObject set = new JsonObject().put("content", content).put("status", status.wire());
    return mongo
        .updateCollection(MESSAGES, streamingReply(replyId), new JsonObject().put("$set", set))
        .compose(result -> mongo.updateCollection(
            CHATS,
            new JsonObject().put("_id", chatId.value()),
            new JsonObject().put("$set", new JsonObject().put("updatedAt", Message.timestamp(clock.instant())))))
        .compose(v -> durability.flush());
  }

  /** Replies marked streaming: running somewhere, or left behind by a node that died. */
  public Future<List<Message>> streamingReplies() {
    return mongo
        .find(MESSAGES, new JsonObject().put("status", MessageStatus.STREAMING.wire()))
        .map(docs -> docs.stream().map(MessageStore::fromDocument).toList());
  }

  /** Marks a reply whose node is gone as interrupted, keeping its last checkpointed text. */
  public Future<Void> interrupt(String replyId) {
    return mongo
        .updateCollection(MESSAGES, streamingReply(replyId),
            new JsonObject().put("$set", new JsonObject().put("status", MessageStatus.INTERRUPTED.wire())))
        .compose(v -> durability.flush());
  }

  /**
   * The chat's messages, oldest first; with a limit, the newest {@code limit} before {@code before}.
   * Read through the chat's ordered list of message ids, so the cost grows with the chat, not the
   * store (mongo-java-server would scan every message for a query by chatId).
   */
  public Future<List<Message>> history(HistoryQuery query) {
    return messageIds(query.chatId()).compose(ids -> {
      List<String> page = ids;
      if (query.before() != null) {
        int anchor = ids.indexOf(query.before());
        if (anchor < 0) {
          return Future.failedFuture(Rejection.badRequest("no message '" + query.before() + "' in chat " + query.chatId()));
        }
        page = ids.subList(0, anchor);
      }
      if (query.limit() != null) {
        page = page.subList(Math.max(0, page.size() - query.limit()), page.size());
      }
      return byIds(page);
    });
  }

  private Future<List<Message>> recent(ChatId chatId, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return history(new HistoryQuery(chatId, Math.min(limit, HistoryQuery.MAX_LIMIT), null));
  }

  private Future<List<String>> messageIds(ChatId chatId) {
    return mongo.findOne(CHATS, new JsonObject().put("_id", chatId.value()), new JsonObject().put(MESSAGE_IDS, 1)).map(chat -> {
      JsonArray ids = chat == null ? null : chat.getJsonArray(MESSAGE_IDS);
      List<String> list = new ArrayList<>();
      if (ids != null) {
        ids.forEach(id -> list.add((String) id));
      }
      return list;
    });
  }

  /** The messages with these ids, in this order. */
  private Future<List<Message>> byIds(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    JsonObject query = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids))));
    return mongo.find(MESSAGES, query).map(docs -> {
      Map<String, Message> found = new HashMap<>();
      docs.forEach(doc -> found.put(doc.getString("_id"), fromDocument(doc)));
      List<Message> ordered = new ArrayList<>(ids.size());
      ids.forEach(id -> {
        Message message = found.get(id);
        if (message != null) {
          ordered.add(message);
        }
      });
      return ordered;
    });
  }

  public Future<List<ChatSummary>> chats() {
    FindOptions recentFirst = new FindOptions().setSort(new JsonObject().put("updatedAt", -1).put("_id", 1));
    return mongo.findWithOptions(CHATS, new JsonObject(), recentFirst).map(docs -> docs.stream()
        .map(doc -> new ChatSummary(
            new ChatId(doc.getString("_id")),
            doc.getString("title", ""),
            Instant.parse(doc.getString("updatedAt")),
            doc.getLong("messageCount", 0L)))
        .toList());
  }

  public Future<Void> deleteChat(ChatId chatId) {
    return mongo
        .removeDocuments(MESSAGES, new JsonObject().put("chatId", chatId.value()))
        .compose(v -> mongo.removeDocuments(CHATS, new JsonObject().put("_id", chatId.value())))
        .compose(v -> durability.flush());
  }

  private static JsonObject streamingReply(String replyId) {
    return new JsonObject().put("_id", replyId).put("status", MessageStatus.STREAMING.wire());
  }

  static JsonObject toDocument(Message message) {
    JsonObject doc = message.toJson();
    doc.put("_id", doc.remove(Message.ID));
    return doc;
  }

  static Message fromDocument(JsonObject doc) {
    JsonObject json = doc.copy();
    json.put(Message.ID, json.remove("_id"));
    return Message.fromJson(json);
  }
}
