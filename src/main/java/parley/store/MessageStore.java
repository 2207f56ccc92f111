package parley.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatPatch;
import parley.chat.ChatSettings;
import parley.chat.ChatSummary;
import parley.chat.ChatTree;
import parley.chat.ErrorCode;
import parley.chat.Exchange;
import parley.chat.HistoryQuery;
import parley.chat.MessageIds;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.chat.Rejection;
import parley.chat.ReplyModel;
import parley.chat.Sender;
import parley.chat.TokenUsage;
import parley.transfer.ChatExport;
import parley.transfer.ImportedChat;
import parley.transfer.ImportedMessage;

/**
 * Messages and chats in MongoDB. Two collections: {@code messages} (one document a message, the
 * record of truth) and {@code chats} (one document a chat, so the chat list never scans messages).
 *
 * <p>A chat's order is the order of the ids its chat document lists; its tree is that order and
 * {@code parents}, the parent of each message that does not follow the one created before it
 * ({@link ChatTree}). A chat written before branching has no {@code parents}: a straight line, as it
 * always read, with nothing to migrate.
 *
 * <p>Plain Java over a Mongo client: the persistence verticle answers the bus with it, and a test
 * can use it as it is. Documents are JSON; what goes in and comes out are the domain's records.
 */
public final class MessageStore {
  private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);
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
  private static final String TITLE = ChatSummary.TITLE;
  /**
   * Where the title came from: {@code message} (the first message's start, until a model names the
   * chat), {@code asking} (a model is being asked), {@code model}, or {@code user} (renamed). Absent
   * in chats from before automatic titles, which keep theirs.
   */
  private static final String TITLE_SOURCE = "titleSource";
  private static final String FROM_MESSAGE = "message";
  private static final String ASKING = "asking";
  private static final String FROM_MODEL = "model";
  private static final String FROM_USER = "user";
  /** In each chat document: {messageId: parentId, or "" for a root} where the order does not say it. */
  static final String PARENTS = "parents";
  private static final String NO_PARENT = "";
  private static final String UPDATED_AT = "updatedAt";
  private static final String MESSAGE_COUNT = "messageCount";
  /** In each chat document: its message ids, oldest first. */
  static final String MESSAGE_IDS = "messageIds";
  /** In each chat document: the id of the user whose chat it is. */
  static final String OWNER_ID = "ownerId";
  /**
   * In the document of an imported chat: the import that wrote it, so that taking back a failed
   * import removes its own chats and nothing else.
   */
  static final String IMPORT_ID = "importId";
  /** Message ids asked for in one query. */
  private static final int IDS_PER_QUERY = 500;
  /**
   * Message ids of the model's context asked for in its first query: most paths fit, so most sends
   * read their context in one request. Each later query asks for twice as many (at most {@link
   * #IDS_PER_QUERY}), so a long path of short messages takes a few requests, not one per 50.
   */
  private static final int CONTEXT_FIRST_QUERY_IDS = 50;
  /** Imported messages inserted in one bulk write. */
  private static final int MESSAGES_PER_WRITE = 1000;

  /** Search's own collection: which store the embedded store's index was built from; the probe of a MongoDB's text search. */
  static final String SEARCH = "search";
  private static final String SEARCH_STAMP_ID = "index";
  private static final String STAMP = "stamp";

  private final MongoClient mongo;
  private final Clock clock;
  private final Durability durability;
  private final SearchIndex search;

  /**
   * Makes acknowledged writes survive a crash of this process ({@link StoreBackend#flush}: a commit
   * of the embedded store; nothing for a real MongoDB, which journals by itself).
   */
  @FunctionalInterface
  public interface Durability {
    Future<Void> flush();

    Durability NONE = Future::succeededFuture;
  }

  /** @param search told of every write that changes what can be found, once the write is durable */
  public MessageStore(MongoClient mongo, Clock clock, Durability durability, SearchIndex search) {
    this.mongo = mongo;
    this.clock = clock;
    this.durability = durability;
    this.search = search;
  }

  /** A store without search. */
  public MessageStore(MongoClient mongo, Clock clock, Durability durability) {
    this(mongo, clock, durability, SearchIndex.NONE);
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
   * Stores the user message and the new streaming reply, answered by the model {@code model}
   * settles on with the chat's own, and returns them with the messages before the user message on
   * its path (the model's context, as much of it as {@code contextMaxChars} characters can hold:
   * {@link #contextOnPath}) and the chat's settings. Either both messages are stored or neither is.
   *
   * <p>Two round trips deep: the chat update goes first and hands back the chat as it was (its
   * tree and settings, so no request of its own reads them); the inserts and the context read go
   * out together after it (only a path whose newest {@link #CONTEXT_FIRST_QUERY_IDS} messages
   * hold less text than the cap is read further back, a query at a time). A {@code parentId} that
   * is not a message of the chat is found then, and what was written is taken back.
   *
   * <p>A new chat becomes {@code ownerId}'s; a chat of someone else's with messages is refused
   * ({@code chat_id_taken}) by the same atomic update, and nothing stays stored. One someone else
   * only set up is made {@code ownerId}'s first ({@link #unlessTakenByOthersSetUp}), unless the
   * message names a parent, which such a chat cannot hold.
   */
  public Future<Exchange.WithHistory> beginExchange(NewMessage sent, String ownerId, String messageId, String replyId,
      ReplyModel model, int contextMaxChars) {
    Instant now = clock.instant();
    ChatMessage message = new ChatMessage(messageId, sent.chatId(), Sender.USER, sent.content(), MessageStatus.COMPLETE, now);
    Future<JsonObject> chatBefore = appendToChat(sent, ownerId, message.id(), replyId, model, now);
    Future<ChatMessage> reply = chatBefore.map(chat -> new ChatMessage(replyId, sent.chatId(), Sender.BOT, "", MessageStatus.STREAMING,
        now, null, null, model.settle(chat == null ? null : chat.getString(ChatSummary.MODEL)), null));
    Future<?> inserted = reply.compose(begun -> mongo.bulkWrite(MESSAGES,
        List.of(BulkOperation.createInsert(toDocument(message)), BulkOperation.createInsert(toDocument(begun)))));
    Future<ChatTree> treeBefore = chatBefore.compose(chat -> {
      ChatTree tree = treeOf(chat);
      String parentId = sent.parent() == null ? null : sent.parent().id();
      return parentId == null || tree.contains(parentId)
          ? Future.succeededFuture(tree)
          : Future.failedFuture(Rejection.badRequest("parentId '" + parentId + "' is not a message of chat " + sent.chatId()));
    });
    Future<List<ChatMessage>> history = treeBefore.compose(tree -> {
      List<String> path = sent.parent() == null
          ? tree.currentPath()
          : sent.parent().id() == null ? List.of() : tree.pathTo(sent.parent().id());
      return contextOnPath(tree, path, contextMaxChars);
    });
    Future<Void> titled = chatBefore.compose(chat -> firstMessageTitle(sent, chat));
    // join, not all: the undo must not start while a write may still land.
    return Future.join(inserted, chatBefore, history, titled)
        .recover(failure -> undoExchange(sent.chatId(), List.of(message.id(), replyId), chatBefore)
            .transform(ignored -> Future.failedFuture(failure)))
        .compose(v -> durability.flush())
        .map(v -> {
          indexSent(ownerId, message, chatBefore.result());
          ChatTree after = treeOf(chatBefore.result(), sent.parent(), message.id(), replyId);
          return new Exchange.WithHistory(new Exchange(placed(message, after), placed(reply.result(), after)), history.result(),
              settingsOf(ownerId, chatBefore.result()));
        });
  }

  /** The settings of a chat document read with {@link #settingsFields}; none for no chat. */
  private static ChatSettings settingsOf(String ownerId, JsonObject chat) {
    return chat == null
        ? new ChatSettings(ownerId, null, null, null)
        : new ChatSettings(ownerId, chat.getString(ChatSummary.MODEL), chat.getString(ChatSummary.SYSTEM_PROMPT),
            chat.getDouble(ChatSummary.TEMPERATURE));
  }

  private static JsonObject settingsFields(JsonObject fields) {
    return fields.put(ChatSummary.MODEL, 1).put(ChatSummary.SYSTEM_PROMPT, 1).put(ChatSummary.TEMPERATURE, 1);
  }

  /**
   * The owner's reply is answered by {@code model} after all: the model it was stored with
   * ({@code gone}, the chat's own) is no longer offered. The chat takes it too, unless its model
   * changed meanwhile.
   */
  public Future<Void> replyModel(ChatId chatId, String ownerId, String replyId, String gone, String model) {
    Future<?> reply = mongo.updateCollection(MESSAGES, streamingReply(replyId),
        new JsonObject().put("$set", new JsonObject().put(ChatSummary.MODEL, model)));
    Future<?> chat = mongo.updateCollection(CHATS, ownedChat(chatId, ownerId).put(ChatSummary.MODEL, gone),
        new JsonObject().put("$set", new JsonObject().put(ChatSummary.MODEL, model)));
    return Future.all(reply, chat).compose(v -> durability.flush());
  }

  /**
   * Stores a new streaming reply (answered by {@code model}) beside {@code replyToRedo}: a sibling
   * with the same parent. Answers it with the path to that parent, which the model gets (as much of
   * it as {@code contextMaxChars} characters can hold: {@link #contextOnPath}). Someone else's
   * message, or none, is {@code not_found}.
   */
  public Future<Exchange.WithHistory> beginRegeneration(ChatId chatId, String ownerId, String replyToRedo, String replyId,
      String model, int contextMaxChars) {
    return mongo.findOne(CHATS, ownedChat(chatId, ownerId), settingsFields(treeFields())).compose(chat -> {
      ChatTree tree = treeOf(chat);
      String parentId = tree.contains(replyToRedo) ? tree.parentOf(replyToRedo) : null;
      if (parentId == null) {
        return Future.failedFuture(noSuchMessage(replyToRedo));
      }
      Instant now = clock.instant();
      ChatMessage reply = new ChatMessage(replyId, chatId, Sender.BOT, "", MessageStatus.STREAMING, now, null, null, model, null);
      Future<?> inserted = mongo.insert(MESSAGES, toDocument(reply));
      Future<?> appended = mongo.updateCollection(CHATS, ownedChat(chatId, ownerId), new JsonObject()
          .put("$set", new JsonObject().put(UPDATED_AT, ChatMessage.timestamp(now)).put(PARENTS + "." + replyId, parentId))
          .put("$inc", new JsonObject().put(MESSAGE_COUNT, 1))
          .put("$push", new JsonObject().put(MESSAGE_IDS, replyId)));
      Future<List<ChatMessage>> history = contextOnPath(tree, tree.pathTo(parentId), contextMaxChars);
      return Future.join(inserted, appended, history)
          .recover(failure -> undoExchange(chatId, List.of(replyId), Future.succeededFuture(chat))
              .transform(ignored -> Future.failedFuture(failure)))
          .compose(v -> durability.flush())
          .map(v -> {
            ChatTree after = treeOf(chat, new NewMessage.Parent(parentId), replyId);
            return new Exchange.WithHistory(new Exchange(null, placed(reply, after)), history.result(), settingsOf(ownerId, chat));
          });
    });
  }

  /** The message sent can be found; so can its chat by its title, from the chat's first message on. */
  private void indexSent(String ownerId, ChatMessage message, JsonObject chatBefore) {
    search.messageWritten(ownerId, message);
    if (chatBefore == null || idsOf(chatBefore).isEmpty()) {
      String title = chatBefore != null && FROM_USER.equals(chatBefore.getString(TITLE_SOURCE))
          ? chatBefore.getString(TITLE, "")
          : ChatSummary.titleFrom(message.content());
      search.chatStarted(ownerId, message.chatId(), title, message.id(), message.createdAt());
    }
  }

  private static Rejection noSuchMessage(String messageId) {
    return new Rejection(ErrorCode.NOT_FOUND, "no message " + messageId);
  }

  /** The message with this id, whoever's it is, or null. */
  public Future<ChatMessage> message(String messageId) {
    return mongo.findOne(MESSAGES, new JsonObject().put(ID, messageId), null)
        .map(doc -> doc == null ? null : fromDocument(doc));
  }

  /** The newest {@code limit} messages of the path, oldest first, each placed in the tree. */
  private Future<List<ChatMessage>> messagesOnPath(ChatTree tree, List<String> path, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return byIds(path.subList(Math.max(0, path.size() - limit), path.size()))
        .map(messages -> messages.stream().map(m -> placed(m, tree)).toList());
  }

  /**
   * The newest messages of the path, oldest first, each placed in the tree: read from the newest
   * back until they hold more than {@code maxChars} characters, or the path ends. Nothing older
   * could be sent: {@link parley.chat.Context#capped} keeps an unbroken run of the newest messages
   * within the cap, and that run ends among the messages read. So the model sees the whole path
   * when it fits; when it does not, a send reads the cap's worth of text and at most one query's
   * messages past it, however long the chat.
   */
  private Future<List<ChatMessage>> contextOnPath(ChatTree tree, List<String> path, int maxChars) {
    List<ChatMessage> oldestFirst = new ArrayList<>();
    return readContextBack(tree, path, path.size(), CONTEXT_FIRST_QUERY_IDS, maxChars, oldestFirst).map(oldestFirst);
  }

  /**
   * Puts the {@code ids} path messages before {@code end} ahead of {@code oldestFirst}, then older
   * ones while {@code charsLeft} is not overspent.
   */
  private Future<Void> readContextBack(ChatTree tree, List<String> path, int end, int ids, long charsLeft,
      List<ChatMessage> oldestFirst) {
    if (end == 0 || charsLeft < 0) {
      return Future.succeededFuture();
    }
    int start = Math.max(0, end - ids);
    return byIds(path.subList(start, end)).compose(read -> {
      oldestFirst.addAll(0, read.stream().map(m -> placed(m, tree)).toList());
      long text = read.stream().mapToLong(m -> m.content().length()).sum();
      return readContextBack(tree, path, start, Math.min(2 * ids, IDS_PER_QUERY), charsLeft - text, oldestFirst);
    });
  }

  private static ChatMessage placed(ChatMessage message, ChatTree tree) {
    return message.inTree(tree.parentOf(message.id()), tree.siblingsOf(message.id()));
  }

  /**
   * A chat made by a change of its settings before its first message has no title yet: the first
   * message gives it one, unless it was named meanwhile.
   */
  private Future<Void> firstMessageTitle(NewMessage sent, JsonObject chatBefore) {
    if (chatBefore == null || !idsOf(chatBefore).isEmpty() || FROM_USER.equals(chatBefore.getString(TITLE_SOURCE))) {
      return Future.succeededFuture();
    }
    return mongo.updateCollection(CHATS, new JsonObject().put(ID, sent.chatId().value()).put(TITLE_SOURCE, FROM_MESSAGE),
        new JsonObject().put("$set", new JsonObject().put(TITLE, ChatSummary.titleFrom(sent.content())))).mapEmpty();
  }

  /**
   * Adds the two ids to the owner's chat (creating it if new) and answers the chat as it was
   * before, or null. The filter names the owner: for a chat of someone else's the upsert would
   * insert a second document with the same id, which the store refuses as a duplicate key.
   */
  private Future<JsonObject> appendToChat(NewMessage sent, String ownerId, String messageId, String replyId, ReplyModel model,
      Instant now) {
    JsonObject set = new JsonObject().put(UPDATED_AT, ChatMessage.timestamp(now));
    JsonObject setOnInsert = new JsonObject().put(TITLE, ChatSummary.titleFrom(sent.content())).put(TITLE_SOURCE, FROM_MESSAGE);
    // A model asked for becomes the chat's; otherwise the chat keeps its own, and a new one takes the fallback.
    if (model.requested() != null) {
      set.put(ChatSummary.MODEL, model.requested());
    } else {
      setOnInsert.put(ChatSummary.MODEL, model.fallback());
    }
    if (sent.parent() != null) {
      set.put(PARENTS + "." + messageId, sent.parent().id() == null ? NO_PARENT : sent.parent().id());
    }
    JsonObject update = new JsonObject()
        .put("$setOnInsert", setOnInsert)
        .put("$set", set)
        .put("$inc", new JsonObject().put(MESSAGE_COUNT, 2))
        .put("$push", new JsonObject().put(MESSAGE_IDS, new JsonObject().put("$each", new JsonArray().add(messageId).add(replyId))));
    boolean mayTakeOver = sent.parent() == null || sent.parent().id() == null;
    return unlessTakenByOthersSetUp(sent.chatId(), ownerId, mayTakeOver, () -> mongo.findOneAndUpdateWithOptions(CHATS,
        ownedChat(sent.chatId(), ownerId), update,
        new FindOptions().setFields(settingsFields(treeFields()).put(UPDATED_AT, 1).put(TITLE_SOURCE, 1).put(TITLE, 1)),
        new UpdateOptions().setUpsert(true).setReturningNewDocument(false)));
  }

  /**
   * Runs {@code write}, an upsert of the owner's chat; the chat id taken by someone else is {@code
   * chat_id_taken}. A chat belongs to whoever sends its first message, so someone else's chat
   * that holds none (only set up by a {@code PATCH}) is nobody's yet: it is made the owner's in one
   * atomic update, its set-up dropped (the model never sees it), and the write tried once more.
   * The chat is kept through that, so a write that then fails leaves the owner an empty chat, and
   * nothing of anyone's is removed.
   */
  private Future<JsonObject> unlessTakenByOthersSetUp(ChatId chatId, String ownerId, boolean mayTakeOver,
      Supplier<Future<JsonObject>> write) {
    return write.get().recover(failure -> {
      if (!AccountStore.duplicateKey(failure) || !mayTakeOver) {
        return Future.failedFuture(takenIfDuplicate(failure));
      }
      JsonObject othersUnstarted = new JsonObject().put(ID, chatId.value()).put(MESSAGE_COUNT, 0)
          .put(OWNER_ID, new JsonObject().put("$ne", ownerId));
      JsonObject madeTheOwners = new JsonObject()
          .put("$set", new JsonObject().put(OWNER_ID, ownerId).put(TITLE, "").put(TITLE_SOURCE, FROM_MESSAGE)
              .put(UPDATED_AT, ChatMessage.timestamp(clock.instant())))
          // $unset takes the field names; the values it is given do not count.
          .put("$unset", settingsFields(new JsonObject().put(ChatSummary.PINNED, 1).put(ChatSummary.ARCHIVED, 1)));
      return mongo.findOneAndUpdate(CHATS, othersUnstarted, madeTheOwners).compose(before -> {
        if (before == null) {
          return Future.failedFuture(Rejection.chatIdTaken());
        }
        // A title the other person gave it may have been indexed: it is not the new owner's.
        search.chatDeleted(chatId);
        return write.get().recover(again -> Future.failedFuture(takenIfDuplicate(again)));
      });
    });
  }

  /** A duplicate chat id is someone else's chat: {@code chat_id_taken}. */
  private static Throwable takenIfDuplicate(Throwable failure) {
    return AccountStore.duplicateKey(failure) ? Rejection.chatIdTaken() : failure;
  }

  private static JsonObject treeFields() {
    return new JsonObject().put(MESSAGE_IDS, 1).put(PARENTS, 1);
  }

  /** A chat document's tree; empty for no chat. */
  private static ChatTree treeOf(JsonObject chat) {
    Map<String, String> parents = new HashMap<>();
    JsonObject stored = chat == null ? null : chat.getJsonObject(PARENTS);
    if (stored != null) {
      stored.forEach(entry -> parents.put(entry.getKey(), NO_PARENT.equals(entry.getValue()) ? null : (String) entry.getValue()));
    }
    return new ChatTree(idsOf(chat), parents);
  }

  /** The chat's tree once the new ids are added, the first under {@code parent} (null: after the latest). */
  private static ChatTree treeOf(JsonObject chatBefore, NewMessage.Parent parent, String... newIds) {
    Map<String, String> parents = new HashMap<>();
    JsonObject stored = chatBefore == null ? null : chatBefore.getJsonObject(PARENTS);
    if (stored != null) {
      stored.forEach(entry -> parents.put(entry.getKey(), NO_PARENT.equals(entry.getValue()) ? null : (String) entry.getValue()));
    }
    if (parent != null) {
      parents.put(newIds[0], parent.id());
    }
    List<String> ids = new ArrayList<>(idsOf(chatBefore));
    ids.addAll(List.of(newIds));
    return new ChatTree(ids, parents);
  }

  /** Takes back whatever part of an exchange was written: the messages, and the chat as it was. */
  private Future<Void> undoExchange(ChatId chatId, List<String> messageIds, Future<JsonObject> chatBefore) {
    // Even a failed bulk insert may have stored its first message. Matched on id and status (what
    // the exchange wrote, and what the unique index serves), so nothing else is ever removed.
    List<BulkOperation> deletes = new ArrayList<>();
    for (String id : messageIds) {
      deletes.add(BulkOperation.createDelete(new JsonObject().put(ID, id).put(STATUS, MessageStatus.COMPLETE.wire())));
      deletes.add(BulkOperation.createDelete(streamingReply(id)));
    }
    Future<?> messages = mongo.bulkWrite(MESSAGES, deletes);
    Future<?> chat = Future.succeededFuture();
    if (chatBefore.succeeded()) {
      JsonObject before = chatBefore.result();
      JsonObject chatFilter = new JsonObject().put(ID, chatId.value());
      if (before == null) {
        chat = mongo.removeDocuments(CHATS, chatFilter);
      } else {
        JsonObject set = new JsonObject().put(UPDATED_AT, before.getString(UPDATED_AT));
        JsonObject unset = new JsonObject();
        messageIds.forEach(id -> unset.put(PARENTS + "." + id, ""));
        if (before.containsKey(ChatSummary.MODEL)) {
          set.put(ChatSummary.MODEL, before.getValue(ChatSummary.MODEL));
        } else {
          unset.put(ChatSummary.MODEL, "");
        }
        chat = mongo.updateCollection(CHATS, chatFilter, new JsonObject()
            .put("$set", set)
            .put("$unset", unset)
            .put("$inc", new JsonObject().put(MESSAGE_COUNT, -messageIds.size()))
            .put("$pullAll", new JsonObject().put(MESSAGE_IDS, new JsonArray(new ArrayList<>(messageIds)))));
      }
    }
    return Future.join(messages, chat).mapEmpty();
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
  public Future<Boolean> finish(String replyId, ChatId chatId, String ownerId, String content, MessageStatus status,
      TokenUsage usage) {
    JsonObject set = new JsonObject().put(CONTENT, content).put(STATUS, status.wire());
    if (usage != null) {
      set.put(ChatMessage.USAGE, usage.toJson());
    }
    // The reply as it ends (less its text, which is here already), for the search index.
    FindOptions ended = new FindOptions().setFields(new JsonObject().put(CONTENT, 0).put(ChatMessage.USAGE, 0));
    Future<JsonObject> reply = mongo.findOneAndUpdateWithOptions(MESSAGES, streamingReply(replyId), new JsonObject().put("$set", set),
        ended, new UpdateOptions().setReturningNewDocument(true));
    // Side by side: the chat's time does not depend on the reply's write, and each waits a round trip.
    // Only the reply's write decides: a retry would find the reply ended and count its usage never.
    Future<?> chatTouched = mongo.updateCollection(CHATS, new JsonObject().put(ID, chatId.value()),
            new JsonObject().put("$set", new JsonObject().put(UPDATED_AT, ChatMessage.timestamp(clock.instant()))))
        .otherwise(failure -> {
          LOG.warn("Reply {} ended, but its chat {} keeps its earlier time: {}", replyId, chatId, failure.getMessage());
          return null;
        });
    return Future.all(reply, chatTouched)
        .compose(v -> durability.flush())
        .map(v -> {
          JsonObject endedNow = reply.result();
          if (endedNow != null) {
            search.messageWritten(ownerId, fromDocument(endedNow.put(CONTENT, content)));
          }
          return endedNow != null;
        });
  }

  /**
   * Stores whole chats read from an export file as new chats of {@code ownerId}: every message (the
   * file's tree, already given new ids), then each chat's document, then a commit. All or nothing:
   * a write that fails takes back whatever the import had written (the store has no transactions)
   * before the failure is answered. This is the one write of an import.
   *
   * <p>The messages go first: until its chat document exists no message of a chat can be read, so
   * a half-written import is never seen.
   */
  public Future<List<ChatSummary>> importChats(String ownerId, List<ImportedChat> chats) {
    String importId = MessageIds.next();
    List<BulkOperation> chatDocuments = new ArrayList<>(chats.size());
    List<ChatSummary> imported = new ArrayList<>(chats.size());
    List<ChatMessage> messages = new ArrayList<>();
    Map<ChatId, List<ChatMessage>> messagesByChat = new LinkedHashMap<>();
    for (ImportedChat chat : chats) {
      List<ChatMessage> ofChat = new ArrayList<>(chat.messages().size());
      for (ImportedMessage message : chat.messages()) {
        ofChat.add(new ChatMessage(message.id(), chat.chatId(), message.sender(), message.text(), message.status(),
            message.createdAt(), null, message.parentId(), message.model(), null));
      }
      messages.addAll(ofChat);
      messagesByChat.put(chat.chatId(), ofChat);
      chatDocuments.add(BulkOperation.createInsert(importedChatDocument(chat, ownerId, importId)));
      imported.add(new ChatSummary(chat.chatId(), chat.title(), chat.updatedAt(), chat.messages().size(), chat.systemPrompt(),
          chat.model(), chat.temperature(), false, false));
    }
    // A batch at a time, each made when its turn comes: a large import leaves room between its
    // writes for everything else the store is asked meanwhile.
    Future<?> written = Future.succeededFuture();
    for (int from = 0; from < messages.size(); from += MESSAGES_PER_WRITE) {
      List<ChatMessage> batch = messages.subList(from, Math.min(messages.size(), from + MESSAGES_PER_WRITE));
      written = written.compose(v -> mongo.bulkWrite(MESSAGES,
          batch.stream().map(message -> BulkOperation.createInsert(toDocument(message))).toList()));
    }
    return written
        .compose(v -> mongo.bulkWrite(CHATS, chatDocuments))
        .compose(v -> durability.flush())
        .andThen(stored -> {
          if (stored.succeeded()) {
            chats.forEach(chat -> search.chatWritten(ownerId, chat.chatId(), chat.title(), messagesByChat.get(chat.chatId())));
          }
        })
        .recover(failure -> undoImport(ownerId, importId, chats).transform(undone -> {
          if (undone.failed()) {
            LOG.error("An import that failed ({}) could not be taken back ({}): chats {} may be left in part",
                failure.toString(), undone.cause().toString(), chats.stream().map(chat -> chat.chatId().value()).toList());
          }
          return Future.failedFuture(failure);
        }))
        .map(v -> imported);
  }

  private static JsonObject importedChatDocument(ImportedChat chat, String ownerId, String importId) {
    JsonArray ids = new JsonArray();
    JsonObject parents = new JsonObject();
    String previous = null;
    for (ImportedMessage message : chat.messages()) {
      ids.add(message.id());
      // Only where the order does not say it, as a chat written by sends keeps them.
      if (!Objects.equals(message.parentId(), previous)) {
        parents.put(message.id(), message.parentId() == null ? NO_PARENT : message.parentId());
      }
      previous = message.id();
    }
    JsonObject document = new JsonObject()
        .put(ID, chat.chatId().value())
        .put(OWNER_ID, ownerId)
        .put(TITLE, chat.title())
        // A title from the file is kept as a rename would be; one taken from the first message may be improved by a model.
        .put(TITLE_SOURCE, chat.named() ? FROM_USER : FROM_MESSAGE)
        .put(UPDATED_AT, ChatMessage.timestamp(chat.updatedAt()))
        .put(MESSAGE_COUNT, chat.messages().size())
        .put(MESSAGE_IDS, ids)
        .put(PARENTS, parents)
        .put(IMPORT_ID, importId);
    if (chat.systemPrompt() != null) {
      document.put(ChatSummary.SYSTEM_PROMPT, chat.systemPrompt());
    }
    if (chat.model() != null) {
      document.put(ChatSummary.MODEL, chat.model());
    }
    if (chat.temperature() != null) {
      document.put(ChatSummary.TEMPERATURE, chat.temperature());
    }
    return document;
  }

  /**
   * Removes what a failed import wrote: its chat documents (by its own mark) and its messages (by
   * their new ids within its new chats), never a document that was there before.
   */
  private Future<Void> undoImport(String ownerId, String importId, List<ImportedChat> chats) {
    JsonArray chatIds = new JsonArray();
    JsonArray messageIds = new JsonArray();
    chats.forEach(chat -> {
      chatIds.add(chat.chatId().value());
      chat.messages().forEach(message -> messageIds.add(message.id()));
    });
    Future<?> messages = mongo.removeDocuments(MESSAGES, new JsonObject()
        .put(ID, new JsonObject().put("$in", messageIds))
        .put(CHAT_ID, new JsonObject().put("$in", chatIds)));
    Future<?> chatDocuments = mongo.removeDocuments(CHATS, new JsonObject().put(IMPORT_ID, importId).put(OWNER_ID, ownerId));
    return Future.all(messages, chatDocuments).compose(v -> durability.flush());
  }

  /**
   * The owner's chat whole, for an export: its settings and every message of every version in the
   * order they were created, each with its parent. {@code not_found} for a chat that is not the
   * owner's, or has no message.
   */
  public Future<ChatExport> exportChat(ChatId chatId, String ownerId) {
    return mongo.findOne(CHATS, ownedChat(chatId, ownerId), null).compose(chat -> {
      if (chat == null || idsOf(chat).isEmpty()) {
        return Future.failedFuture(new Rejection(ErrorCode.NOT_FOUND, "no chat " + chatId));
      }
      ChatTree tree = treeOf(chat);
      return byIds(idsOf(chat)).map(messages -> new ChatExport(chatFromDocument(chat), messages.stream()
          .map(m -> new ChatMessage(m.id(), m.chatId(), m.sender(), m.content(), m.status(), m.createdAt(), m.usage(),
              tree.parentOf(m.id()), m.model(), null))
          .toList()));
    });
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
        .findOneAndUpdateWithOptions(MESSAGES, streamingReply(replyId),
            new JsonObject().put("$set", new JsonObject().put(STATUS, MessageStatus.INTERRUPTED.wire())), new FindOptions(),
            new UpdateOptions().setReturningNewDocument(true))
        .compose(reply -> durability.flush().map(reply))
        .compose(reply -> {
          if (reply == null) {
            return Future.succeededFuture();
          }
          // Its text as last checkpointed can be found, as the text a stopped reply kept is.
          ChatMessage interrupted = fromDocument(reply);
          return ownerOf(interrupted.chatId()).map(ownerId -> {
            if (ownerId != null) {
              search.messageWritten(ownerId, interrupted);
            }
            return null;
          });
        });
  }

  /**
   * One path through the chat's tree, oldest first (to its most recent message, or through
   * {@code via}); with a limit, the newest {@code limit} of it before {@code before}. Read through
   * the chat document, so the cost grows with the chat, not the store (mongo-java-server would
   * scan every message for a query by chatId).
   */
  public Future<List<ChatMessage>> history(HistoryQuery query, String ownerId) {
    return mongo.findOne(CHATS, ownedChat(query.chatId(), ownerId), treeFields()).compose(chat -> {
      ChatTree tree = treeOf(chat);
      if (query.via() != null && !tree.contains(query.via())) {
        return Future.failedFuture(Rejection.badRequest("no message '" + query.via() + "' in chat " + query.chatId()));
      }
      List<String> page = query.via() == null ? tree.currentPath() : tree.pathVia(query.via());
      if (query.before() != null) {
        int anchor = page.indexOf(query.before());
        if (anchor < 0) {
          return Future.failedFuture(Rejection.badRequest("no message '" + query.before() + "' on this path of chat " + query.chatId()));
        }
        page = page.subList(0, anchor);
      }
      return messagesOnPath(tree, page, query.limit() == null ? page.size() : query.limit());
    });
  }

  /** The chat's owner and settings; {@link ChatSettings#NONE} for a chat that does not exist. */
  public Future<ChatSettings> settings(ChatId chatId) {
    return mongo.findOne(CHATS, new JsonObject().put(ID, chatId.value()), settingsFields(new JsonObject().put(OWNER_ID, 1)))
        .map(chat -> chat == null ? ChatSettings.NONE : settingsOf(chat.getString(OWNER_ID), chat));
  }

  /**
   * Changes the owner's chat's settings, or makes a chat with them (so a window can be set up
   * before its first message). Someone else's chat with messages is refused as a send to it is;
   * one someone else only set up is nobody's yet, and becomes the owner's, its set-up dropped
   * ({@link #unlessTakenByOthersSetUp}). A new title is the person's: no model renames the chat
   * after that.
   */
  public Future<ChatSummary> patchChat(ChatId chatId, String ownerId, ChatPatch patch) {
    JsonObject set = new JsonObject();
    JsonObject unset = new JsonObject();
    patch.changes().forEach(change -> {
      if (change.getValue() == null) {
        unset.put(change.getKey(), "");
      } else {
        set.put(change.getKey(), change.getValue());
      }
    });
    JsonObject onInsert = new JsonObject()
        .put(UPDATED_AT, ChatMessage.timestamp(clock.instant()))
        .put(MESSAGE_COUNT, 0)
        .put(MESSAGE_IDS, new JsonArray());
    if (patch.renames()) {
      set.put(TITLE_SOURCE, FROM_USER);
    } else {
      onInsert.put(TITLE, "").put(TITLE_SOURCE, FROM_MESSAGE);
    }
    JsonObject update = new JsonObject().put("$setOnInsert", onInsert);
    if (!set.isEmpty()) {
      update.put("$set", set);
    }
    if (!unset.isEmpty()) {
      update.put("$unset", unset);
    }
    return unlessTakenByOthersSetUp(chatId, ownerId, true, () -> mongo.findOneAndUpdateWithOptions(CHATS, ownedChat(chatId, ownerId),
            update, new FindOptions().setFields(new JsonObject().put(MESSAGE_IDS, 0).put(PARENTS, 0)),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(true)))
        .compose(chat -> durability.flush().map(v -> {
          ChatSummary changed = chatFromDocument(chat);
          if (patch.renames()) {
            search.chatRenamed(chatId, changed.title());
          }
          return changed;
        }));
  }

  /**
   * Takes the chat's turn to be named by a model: true once, for a chat still titled by its first
   * message (not renamed, not named already, not being named).
   */
  public Future<Boolean> claimTitle(ChatId chatId) {
    return mongo.updateCollection(CHATS, new JsonObject().put(ID, chatId.value()).put(TITLE_SOURCE, FROM_MESSAGE),
            new JsonObject().put("$set", new JsonObject().put(TITLE_SOURCE, ASKING)))
        .map(result -> result != null && result.getDocModified() > 0);
  }

  /**
   * Ends a claimed naming: with a title, the chat takes it, unless the person renamed it
   * meanwhile; with null (the model failed), the chat keeps its title and may be named later.
   */
  public Future<Void> titled(ChatId chatId, String title) {
    JsonObject set = title == null
        ? new JsonObject().put(TITLE_SOURCE, FROM_MESSAGE)
        : new JsonObject().put(TITLE, title).put(TITLE_SOURCE, FROM_MODEL);
    return mongo.updateCollection(CHATS, new JsonObject().put(ID, chatId.value()).put(TITLE_SOURCE, ASKING),
            new JsonObject().put("$set", set))
        .compose(result -> durability.flush().map(v -> {
          if (title != null && result != null && result.getDocModified() > 0) {
            search.chatRenamed(chatId, title);
          }
          return null;
        }));
  }

  /**
   * The id of the user whose chat it is, or null for no such chat, or one that holds no message yet
   * (set up by a {@code PATCH}): a chat is its first message's sender's.
   */
  public Future<String> ownerOf(ChatId chatId) {
    return mongo.findOne(CHATS, new JsonObject().put(ID, chatId.value()), new JsonObject().put(OWNER_ID, 1).put(MESSAGE_COUNT, 1))
        .map(chat -> chat == null || chat.getInteger(MESSAGE_COUNT, 0) == 0 ? null : chat.getString(OWNER_ID));
  }

  private static JsonObject ownedChat(ChatId chatId, String ownerId) {
    return new JsonObject().put(ID, chatId.value()).put(OWNER_ID, ownerId);
  }

  /** The messages with these ids, in this order. */
  private Future<List<ChatMessage>> byIds(List<String> ids) {
    Map<String, ChatMessage> found = new HashMap<>();
    Future<Void> read = Future.succeededFuture();
    // mongo-java-server checks each document it finds against the whole $in list, so one query for
    // k ids costs k² (a chat of 20,000 messages: half a minute); in batches it costs k × the batch.
    for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
      JsonObject query = new JsonObject().put(ID, new JsonObject().put("$in", new JsonArray(new ArrayList<>(batch))));
      read = read.compose(v -> mongo.find(MESSAGES, query).map(docs -> {
        docs.forEach(doc -> found.put(doc.getString(ID), fromDocument(doc)));
        return null;
      }));
    }
    return read.map(v -> {
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

  /**
   * The owner's chats, pinned ones first, then most recently active first; archived ones only
   * when asked for, and none made by a settings change that never got a message.
   */
  public Future<List<ChatSummary>> chats(String ownerId, boolean withArchived) {
    FindOptions recentFirst = new FindOptions().setSort(new JsonObject().put(UPDATED_AT, -1).put(ID, 1))
        .setFields(new JsonObject().put(MESSAGE_IDS, 0).put(PARENTS, 0));
    return mongo.findWithOptions(CHATS, new JsonObject().put(OWNER_ID, ownerId), recentFirst)
        .map(docs -> docs.stream()
            .map(MessageStore::chatFromDocument)
            .filter(chat -> chat.messageCount() > 0 && (withArchived || !chat.archived()))
            // Stable: within each group the store's order (most recent first) stays.
            .sorted(Comparator.comparing(chat -> !chat.pinned()))
            .toList());
  }

  /** Deletes the owner's chat and its messages; someone else's chat is left as it is. */
  public Future<Void> deleteChat(ChatId chatId, String ownerId) {
    return mongo.findOne(CHATS, ownedChat(chatId, ownerId), new JsonObject().put(ID, 1)).compose(owned -> owned == null
        ? Future.succeededFuture()
        : mongo.removeDocuments(MESSAGES, new JsonObject().put(CHAT_ID, chatId.value()))
            .compose(v -> mongo.removeDocuments(CHATS, ownedChat(chatId, ownerId)))
            .compose(v -> durability.flush())
            .onSuccess(v -> search.chatDeleted(chatId)));
  }

  /**
   * A chat as the search index takes it whole: its owner, title and messages in the chat's order
   * (a message's place in the tree does not matter to search).
   */
  public record WholeChat(String ownerId, String title, List<ChatMessage> messages) {}

  /** What the search index needs of a chat besides its messages: whose it is, its title, its first message. */
  public record ChatHead(String ownerId, String title, String firstMessageId) {}

  /** Every chat's head, for rebuilding the search index. */
  public Future<Map<ChatId, ChatHead>> chatHeads() {
    return mongo.findWithOptions(CHATS, new JsonObject(),
            new FindOptions().setFields(new JsonObject().put(OWNER_ID, 1).put(TITLE, 1).put(MESSAGE_IDS, 1)))
        .map(docs -> {
          Map<ChatId, ChatHead> heads = new HashMap<>();
          docs.forEach(doc -> {
            List<String> ids = idsOf(doc);
            heads.put(new ChatId(doc.getString(ID)),
                new ChatHead(doc.getString(OWNER_ID), doc.getString(TITLE, ""), ids.isEmpty() ? null : ids.get(0)));
          });
          return heads;
        });
  }

  /**
   * Every message in the store, in batches of {@code batchSize}, in one pass (for rebuilding the
   * search index): the next batch is read once the future {@code handler} answers for the last
   * one completes, so a slow reader holds the store back rather than piling messages up.
   */
  public Future<Void> eachMessageBatch(int batchSize, Function<List<ChatMessage>, Future<Void>> handler) {
    Promise<Void> done = Promise.promise();
    ReadStream<JsonObject> stream = mongo.findBatchWithOptions(MESSAGES, new JsonObject(), new FindOptions().setBatchSize(batchSize));
    List<ChatMessage> batch = new ArrayList<>(batchSize);
    Runnable handOver = () -> {
      List<ChatMessage> full = new ArrayList<>(batch);
      batch.clear();
      stream.pause();
      handler.apply(full).onComplete(handled -> {
        if (handled.failed()) {
          done.tryFail(handled.cause());
        } else {
          stream.resume();
        }
      });
    };
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(end -> (batch.isEmpty() ? Future.<Void>succeededFuture() : handler.apply(new ArrayList<>(batch)))
        .onComplete(done));
    stream.handler(doc -> {
      try {
        batch.add(fromDocument(doc));
      } catch (RuntimeException unreadable) {
        // A document no build of Parley wrote: history would not show it either.
        LOG.warn("Message {} cannot be read; it is left out of the search index", doc.getValue(ID));
      }
      if (batch.size() >= batchSize) {
        handOver.run();
      }
    });
    return done.future();
  }

  /** The chat as the search index takes it, or null when there is no such chat. */
  public Future<WholeChat> chatForSearch(ChatId chatId) {
    return mongo.findOne(CHATS, new JsonObject().put(ID, chatId.value()),
            new JsonObject().put(OWNER_ID, 1).put(TITLE, 1).put(MESSAGE_IDS, 1))
        .compose(chat -> chat == null
            ? Future.succeededFuture()
            : byIds(idsOf(chat)).map(messages -> new WholeChat(chat.getString(OWNER_ID), chat.getString(TITLE, ""), messages)));
  }

  /** Which store the search index was built from: a stamp both keep (null: none yet, or a store from before search). */
  public Future<String> searchStamp() {
    return mongo.findOne(SEARCH, new JsonObject().put(ID, SEARCH_STAMP_ID), null)
        .map(doc -> doc == null ? null : doc.getString(STAMP));
  }

  public Future<Void> keepSearchStamp(String stamp) {
    return mongo.updateCollectionWithOptions(SEARCH, new JsonObject().put(ID, SEARCH_STAMP_ID),
            new JsonObject().put("$set", new JsonObject().put(STAMP, stamp)), new UpdateOptions().setUpsert(true))
        .compose(v -> durability.flush());
  }

  private static JsonObject streamingReply(String replyId) {
    return new JsonObject().put(ID, replyId).put(STATUS, MessageStatus.STREAMING.wire());
  }

  /** The tree lives in the chat document: a message document holds no parent or siblings. */
  static JsonObject toDocument(ChatMessage message) {
    JsonObject doc = message.toJson();
    doc.put(ID, doc.remove(ChatMessage.ID));
    doc.remove(ChatMessage.PARENT_ID);
    doc.remove(ChatMessage.SIBLING_IDS);
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
        doc.getLong(MESSAGE_COUNT, 0L),
        doc.getString(ChatSummary.SYSTEM_PROMPT),
        doc.getString(ChatSummary.MODEL),
        doc.getDouble(ChatSummary.TEMPERATURE),
        doc.getBoolean(ChatSummary.PINNED, false),
        doc.getBoolean(ChatSummary.ARCHIVED, false));
  }
}
