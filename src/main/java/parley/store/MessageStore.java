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
import parley.chat.ChatMessage;
import parley.chat.ChatSummary;
import parley.chat.Exchange;
import parley.chat.HistoryQuery;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.chat.Rejection;
import parley.chat.Sender;
import parley.chat.TokenUsage;

/**
 * Messages and chats in MongoDB. Two collections: {@code messages} (one document a message, the
 * record of truth) and {@code chats} (one document a chat, so the chat list never scans messages).
 *
 * <p>A chat's order is the order of the ids its chat document lists.
 *
 * <p>Plain Java over a Mongo client: the persistence verticle answers the bus with it, and a test
 * can use it as it is. Documents are JSON; what goes in and comes out are the domain's records.
 */
public final class MessageStore {
  static final String MESSAGES = "messages";
  static final String CHATS = "chats";

  /** A document's id, in both collections. */
  private static final String ID = "_id";
  // A message document is the message's JSON, with its id as the document's.
  private static final String CHAT_ID = ChatMessage.CHAT_ID;
  private static final String CONTENT = ChatMessage.CONTENT;
  private static final String STATUS = ChatMessage.STATUS;
  private static final String CREATED_AT = ChatMessage.CREATED_AT;
  // A chat document.
  private static final String TITLE = "title";
  private static final String UPDATED_AT = "updatedAt";
  private static final String MESSAGE_COUNT = "messageCount";
  /** In each chat document: its message ids, oldest first. */
  static final String MESSAGE_IDS = "messageIds";
  /** In each chat document: the id of the user whose chat it is. */
  static final String OWNER_ID = "ownerId";

  private final MongoClient mongo;
  private final Clock clock;
  private final Durability durability;

  /**
   * Makes acknowledged writes survive a crash of this process ({@link StoreBackend#flush}: a commit
   * of the embedded store; nothing for a real MongoDB, which journals by itself).
   */
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
        .createIndexWithOptions(MESSAGES, new JsonObject().put(CHAT_ID, 1).put(CREATED_AT, 1).put(ID, 1), new IndexOptions())
        // Serves the {_id, status} filter of every checkpoint and final write. Unique, because
        // mongo-java-server uses only unique indexes, and only for queries on exactly their keys.
        .compose(v -> mongo.createIndexWithOptions(MESSAGES, new JsonObject().put(ID, 1).put(STATUS, 1), new IndexOptions().unique(true)))
        .compose(v -> mongo.createIndexWithOptions(MESSAGES, new JsonObject().put(STATUS, 1), new IndexOptions()))
        .compose(v -> mongo.createIndexWithOptions(CHATS, new JsonObject().put(UPDATED_AT, -1), new IndexOptions()))
        // Serves the {_id, ownerId} filter of every send, history read and delete, for the same
        // reason (without it mongo-java-server scans every chat); unique, as anything holding _id is.
        .compose(v -> mongo.createIndexWithOptions(CHATS, new JsonObject().put(ID, 1).put(OWNER_ID, 1), new IndexOptions().unique(true)))
        .compose(v -> mongo.createIndexWithOptions(CHATS, new JsonObject().put(OWNER_ID, 1), new IndexOptions()));
  }

  /**
   * Stores the user message and the new streaming reply, and returns them with the messages that
   * came before (the model's context). Either both messages are stored or neither is.
   *
   * <p>Two round trips deep: the inserts go out together with the chat update, which hands back
   * the chat as it was (its earlier message ids), and only the context read waits for that.
   *
   * <p>A new chat becomes {@code ownerId}'s; a chat of someone else's is refused
   * ({@code chat_id_taken}) by the same atomic update, and nothing stays stored.
   */
  public Future<Exchange.WithHistory> beginExchange(NewMessage sent, String ownerId, String messageId, String replyId,
      int contextMessages) {
    Instant now = clock.instant();
    ChatMessage message = new ChatMessage(messageId, sent.chatId(), Sender.USER, sent.content(), MessageStatus.COMPLETE, now);
    ChatMessage reply = new ChatMessage(replyId, sent.chatId(), Sender.BOT, "", MessageStatus.STREAMING, now);
    Future<?> inserted = mongo.bulkWrite(MESSAGES,
        List.of(BulkOperation.createInsert(toDocument(message)), BulkOperation.createInsert(toDocument(reply))));
    Future<JsonObject> chatBefore = appendToChat(sent, ownerId, message.id(), reply.id(), now);
    Future<List<ChatMessage>> history = chatBefore.compose(chat -> contextMessages <= 0
        ? Future.succeededFuture(List.of())
        : byIds(lastIds(chat, Math.min(contextMessages, HistoryQuery.MAX_LIMIT))));
    // join, not all: the undo must not start while a write may still land.
    return Future.join(inserted, chatBefore, history)
        .recover(failure -> undoExchange(sent.chatId(), message.id(), reply.id(), chatBefore)
            .transform(ignored -> Future.failedFuture(failure)))
        .compose(v -> durability.flush())
        .map(v -> new Exchange.WithHistory(new Exchange(message, reply), history.result()));
  }

  /**
   * Adds the two ids to the owner's chat (creating it if new) and answers the chat as it was
   * before, or null. The filter names the owner: for a chat of someone else's the upsert would
   * insert a second document with the same id, which the store refuses as a duplicate key.
   */
  private Future<JsonObject> appendToChat(NewMessage sent, String ownerId, String messageId, String replyId, Instant now) {
    JsonObject update = new JsonObject()
        .put("$setOnInsert", new JsonObject().put(TITLE, ChatSummary.titleFrom(sent.content())))
        .put("$set", new JsonObject().put(UPDATED_AT, ChatMessage.timestamp(now)))
        .put("$inc", new JsonObject().put(MESSAGE_COUNT, 2))
        .put("$push", new JsonObject().put(MESSAGE_IDS, new JsonObject().put("$each", new JsonArray().add(messageId).add(replyId))));
    return mongo.findOneAndUpdateWithOptions(CHATS, ownedChat(sent.chatId(), ownerId), update,
            new FindOptions().setFields(new JsonObject().put(MESSAGE_IDS, 1).put(UPDATED_AT, 1)),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(false))
        .recover(failure -> Future.failedFuture(AccountStore.duplicateKey(failure)
            ? Rejection.chatIdTaken()
            : failure));
  }

  /** Takes back whatever part of an exchange was written: the messages, and the chat as it was. */
  private Future<Void> undoExchange(ChatId chatId, String messageId, String replyId, Future<JsonObject> chatBefore) {
    // Even a failed bulk insert may have stored its first message. Matched on id and status (what
    // the exchange wrote, and what the unique index serves), so nothing else is ever removed.
    Future<?> messages = mongo.bulkWrite(MESSAGES, List.of(
        BulkOperation.createDelete(new JsonObject().put(ID, messageId).put(STATUS, MessageStatus.COMPLETE.wire())),
        BulkOperation.createDelete(streamingReply(replyId))));
    Future<?> chat = Future.succeededFuture();
    if (chatBefore.succeeded()) {
      JsonObject before = chatBefore.result();
      JsonObject chatFilter = new JsonObject().put(ID, chatId.value());
      chat = before == null
          ? mongo.removeDocuments(CHATS, chatFilter)
          : mongo.updateCollection(CHATS, chatFilter, new JsonObject()
              .put("$set", new JsonObject().put(UPDATED_AT, before.getString(UPDATED_AT)))
              .put("$inc", new JsonObject().put(MESSAGE_COUNT, -2))
              .put("$pullAll", new JsonObject().put(MESSAGE_IDS, new JsonArray().add(messageId).add(replyId))));
    }
    return Future.join(messages, chat).mapEmpty();
  }

  private static List<String> lastIds(JsonObject chat, int limit) {
    List<String> ids = idsOf(chat);
    return ids.subList(Math.max(0, ids.size() - limit), ids.size());
  }

  /** A chat document's message ids, oldest first; none for no chat. */
  private static List<String> idsOf(JsonObject chat) {
    JsonArray ids = chat == null ? null : chat.getJsonArray(MESSAGE_IDS);
    List<String> list = new ArrayList<>();
    if (ids != null) {
      ids.forEach(id -> list.add((String) id));
    }
    return list;
  }

  /**
   * Saves the text streaming replies have so far, in one bulk write and one commit; a reply that
   * has already ended is left alone.
   */
  public Future<Void> checkpoint(Map<String, String> contentByReply) {
    List<BulkOperation> updates = new ArrayList<>(contentByReply.size());
    contentByReply.forEach((replyId, content) -> updates.add(BulkOperation.createUpdate(
        streamingReply(replyId), new JsonObject().put("$set", new JsonObject().put(CONTENT, content)))));
    return mongo.bulkWrite(MESSAGES, updates).compose(v -> durability.flush());
  }

  /**
   * Writes a reply's final text, status and the tokens it cost, once; later writes for the same
   * reply change nothing. True when this write ended it (false: it had ended, or is gone with its
   * chat), so that what follows an end (usage) happens once, whatever the retries.
   */
  public Future<Boolean> finish(String replyId, ChatId chatId, String content, MessageStatus status, TokenUsage usage) {
    JsonObject set = new JsonObject().put(CONTENT, content).put(STATUS, status.wire());
    if (usage != null) {
      set.put(ChatMessage.USAGE, usage.toJson());
    }
    return mongo
        .updateCollection(MESSAGES, streamingReply(replyId), new JsonObject().put("$set", set))
        .compose(result -> mongo.updateCollection(
                CHATS,
                new JsonObject().put(ID, chatId.value()),
                new JsonObject().put("$set", new JsonObject().put(UPDATED_AT, ChatMessage.timestamp(clock.instant()))))
            .compose(v -> durability.flush())
            .map(v -> result != null && result.getDocModified() > 0));
  }

  /** Replies marked streaming: running somewhere, or left behind by a node that died. */
  public Future<List<ChatMessage>> streamingReplies() {
    return mongo
        .find(MESSAGES, new JsonObject().put(STATUS, MessageStatus.STREAMING.wire()))
        .map(docs -> docs.stream().map(MessageStore::fromDocument).toList());
  }

  /** Marks a reply whose node is gone as interrupted, keeping its last checkpointed text. */
  public Future<Void> interrupt(String replyId) {
    return mongo
        .updateCollection(MESSAGES, streamingReply(replyId),
            new JsonObject().put("$set", new JsonObject().put(STATUS, MessageStatus.INTERRUPTED.wire())))
        .compose(v -> durability.flush());
  }

  /**
   * The chat's messages, oldest first; with a limit, the newest {@code limit} before {@code before}.
   * Read through the chat's ordered list of message ids, so the cost grows with the chat, not the
   * store (mongo-java-server would scan every message for a query by chatId).
   */
  public Future<List<ChatMessage>> history(HistoryQuery query, String ownerId) {
    return messageIds(query.chatId(), ownerId).compose(ids -> {
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

  /** The ids of the owner's chat; none for a chat that does not exist or is someone else's. */
  private Future<List<String>> messageIds(ChatId chatId, String ownerId) {
    return mongo.findOne(CHATS, ownedChat(chatId, ownerId), new JsonObject().put(MESSAGE_IDS, 1)).map(MessageStore::idsOf);
  }

  /** The id of the user whose chat it is, or null for no such chat. */
  public Future<String> ownerOf(ChatId chatId) {
    return mongo.findOne(CHATS, new JsonObject().put(ID, chatId.value()), new JsonObject().put(OWNER_ID, 1))
        .map(chat -> chat == null ? null : chat.getString(OWNER_ID));
  }

  private static JsonObject ownedChat(ChatId chatId, String ownerId) {
    return new JsonObject().put(ID, chatId.value()).put(OWNER_ID, ownerId);
  }

  /** The messages with these ids, in this order. */
  private Future<List<ChatMessage>> byIds(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    JsonObject query = new JsonObject().put(ID, new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids))));
    return mongo.find(MESSAGES, query).map(docs -> {
      Map<String, ChatMessage> found = new HashMap<>();
      docs.forEach(doc -> found.put(doc.getString(ID), fromDocument(doc)));
      List<ChatMessage> ordered = new ArrayList<>(ids.size());
      ids.forEach(id -> {
        ChatMessage message = found.get(id);
        if (message != null) {
          ordered.add(message);
        }
      });
      return ordered;
    });
  }

  /** The owner's chats, most recently active first. */
  public Future<List<ChatSummary>> chats(String ownerId) {
    FindOptions recentFirst = new FindOptions().setSort(new JsonObject().put(UPDATED_AT, -1).put(ID, 1))
        .setFields(new JsonObject().put(MESSAGE_IDS, 0));
    return mongo.findWithOptions(CHATS, new JsonObject().put(OWNER_ID, ownerId), recentFirst)
        .map(docs -> docs.stream().map(MessageStore::chatFromDocument).toList());
  }

  /** Deletes the owner's chat and its messages; someone else's chat is left as it is. */
  public Future<Void> deleteChat(ChatId chatId, String ownerId) {
    return mongo.findOne(CHATS, ownedChat(chatId, ownerId), new JsonObject().put(ID, 1)).compose(owned -> owned == null
        ? Future.succeededFuture()
        : mongo.removeDocuments(MESSAGES, new JsonObject().put(CHAT_ID, chatId.value()))
            .compose(v -> mongo.removeDocuments(CHATS, ownedChat(chatId, ownerId)))
            .compose(v -> durability.flush()));
  }

  private static JsonObject streamingReply(String replyId) {
    return new JsonObject().put(ID, replyId).put(STATUS, MessageStatus.STREAMING.wire());
  }

  static JsonObject toDocument(ChatMessage message) {
    JsonObject doc = message.toJson();
    doc.put(ID, doc.remove(ChatMessage.ID));
    return doc;
  }

  static ChatMessage fromDocument(JsonObject doc) {
    JsonObject json = doc.copy();
    json.put(ChatMessage.ID, json.remove(ID));
    return ChatMessage.fromJson(json);
  }

  private static ChatSummary chatFromDocument(JsonObject doc) {
    return new ChatSummary(
        new ChatId(doc.getString(ID)),
        doc.getString(TITLE, ""),
        Instant.parse(doc.getString(UPDATED_AT)),
        doc.getLong(MESSAGE_COUNT, 0L));
  }
}
