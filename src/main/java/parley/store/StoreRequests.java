package parley.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatPatch;
import parley.chat.ChatSettings;
import parley.chat.ChatSummary;
import parley.chat.Exchange;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.chat.ReplyModel;
import parley.chat.SearchHit;
import parley.chat.SearchQuery;
import parley.chat.TokenUsage;
import parley.chat.Sender;
import parley.chat.Wire;
import parley.transfer.ChatExport;
import parley.transfer.ImportedChat;
import parley.transfer.ImportedMessage;

/**
 * The store's requests and answers as they travel over the event bus: one record per request
 * shape, and every field named once, here. {@link StoreClient} writes them and
 * {@link PersistenceVerticle} reads them. (The public history query is {@link
 * parley.chat.HistoryQuery}; the requests without fields go as an empty object.)
 */
public final class StoreRequests {
  private static final String MESSAGE_ID = "messageId";
  private static final String REPLY_ID = "replyId";
  private static final String CHAT_ID = "chatId";
  private static final String CONTENT = "content";
  private static final String STATUS = "status";
  private static final String CONTEXT_MAX_CHARS = "contextMaxChars";
  private static final String HISTORY = "history";
  private static final String DATABASE = "database";
  private static final String OWNER_ID = "ownerId";
  private static final String USAGE = "usage";
  private static final String MODEL = "model";
  private static final String FALLBACK_MODEL = "fallbackModel";
  private static final String GONE_MODEL = "goneModel";
  private static final String SETTINGS = "settings";
  private static final String MESSAGE = "message";
  private static final String CHANGES = "changes";
  private static final String SYSTEM_PROMPT = "systemPrompt";
  private static final String TEMPERATURE = "temperature";
  private static final String TITLE = "title";
  private static final String CLAIMED = "claimed";
  private static final String ARCHIVED = "archived";
  private static final String SEARCH = "search";
  private static final String USER_ID = "userId";
  private static final String CHATS = "chats";
  private static final String CHAT = "chat";
  private static final String MESSAGES = "messages";
  private static final String NAMED = "named";
  private static final String ID = "id";
  private static final String PARENT_ID = "parentId";
  private static final String SENDER = "sender";
  private static final String CREATED_AT = "createdAt";
  private static final String UPDATED_AT = "updatedAt";
  private static final String MESSAGE_COUNT = "messageCount";
  private static final String PINNED = "pinned";

  private StoreRequests() {}

  /**
   * Store the message sent and begin its reply, both with ids the caller made; answered with the
   * exchange and the messages before it on its path, as far back as the model's context of {@code
   * contextMaxChars} characters could reach ({@link #exchangeToJson}).
   */
  record BeginExchange(NewMessage sent, String ownerId, String messageId, String replyId, ReplyModel model, int contextMaxChars) {
    JsonObject toJson() {
      // The message as sent, with the reply's model beside it: the one asked for, or the fallback.
      return new JsonObject().put(MESSAGE, sent.toJson()).put(OWNER_ID, ownerId).put(MESSAGE_ID, messageId)
          .put(REPLY_ID, replyId).put(MODEL, model.requested()).put(FALLBACK_MODEL, model.fallback())
          .put(CONTEXT_MAX_CHARS, contextMaxChars);
    }

    static BeginExchange fromJson(JsonObject json) {
      return new BeginExchange(NewMessage.fromJson(json.getJsonObject(MESSAGE)), json.getString(OWNER_ID),
          json.getString(MESSAGE_ID), json.getString(REPLY_ID), new ReplyModel(json.getString(MODEL), json.getString(FALLBACK_MODEL)),
          json.getInteger(CONTEXT_MAX_CHARS, 0));
    }
  }

  /** The owner's streaming reply, and their chat if its model is still {@code gone}, are answered by another model: answered with nothing. */
  record ReplyModelChange(ChatId chatId, String ownerId, String replyId, String gone, String model) {
    JsonObject toJson() {
      return new JsonObject().put(CHAT_ID, chatId.value()).put(OWNER_ID, ownerId).put(REPLY_ID, replyId).put(GONE_MODEL, gone)
          .put(MODEL, model);
    }

    static ReplyModelChange fromJson(JsonObject json) {
      return new ReplyModelChange(new ChatId(json.getString(CHAT_ID)), json.getString(OWNER_ID), json.getString(REPLY_ID),
          json.getString(GONE_MODEL), json.getString(MODEL));
    }
  }

  /** Begin a new version of a reply, with an id the caller made; answered as {@link BeginExchange} is, without a message. */
  record BeginRegeneration(ChatId chatId, String ownerId, String replyToRedo, String replyId, String model, int contextMaxChars) {
    JsonObject toJson() {
      return new JsonObject().put(CHAT_ID, chatId.value()).put(OWNER_ID, ownerId).put(MESSAGE_ID, replyToRedo)
          .put(REPLY_ID, replyId).put(MODEL, model).put(CONTEXT_MAX_CHARS, contextMaxChars);
    }

    static BeginRegeneration fromJson(JsonObject json) {
      return new BeginRegeneration(new ChatId(json.getString(CHAT_ID)), json.getString(OWNER_ID), json.getString(MESSAGE_ID),
          json.getString(REPLY_ID), json.getString(MODEL), json.getInteger(CONTEXT_MAX_CHARS, 0));
    }
  }

  /** The message with this id, whoever's: answered with {@link #messageToJson}. */
  record FindMessage(String messageId) {
    JsonObject toJson() {
      return new JsonObject().put(MESSAGE_ID, messageId);
    }

    static FindMessage fromJson(JsonObject json) {
      return new FindMessage(json.getString(MESSAGE_ID));
    }
  }

  static JsonObject messageToJson(ChatMessage message) {
    return new JsonObject().put(MESSAGE, message == null ? null : message.toJson());
  }

  static ChatMessage messageFromJson(JsonObject json) {
    JsonObject message = json.getJsonObject(MESSAGE);
    return message == null ? null : ChatMessage.fromJson(message);
  }

  /** Change the owner's chat's settings: answered with the chat's line of the list. */
  record PatchChat(ChatId chatId, String ownerId, ChatPatch patch) {
    JsonObject toJson() {
      return new JsonObject().put(CHAT_ID, chatId.value()).put(OWNER_ID, ownerId).put(CHANGES, patch.changes());
    }

    static PatchChat fromJson(JsonObject json) {
      return new PatchChat(new ChatId(json.getString(CHAT_ID)), json.getString(OWNER_ID), new ChatPatch(json.getJsonObject(CHANGES)));
    }
  }

  /** The chat list: {@code archived} says whether archived chats are in it. */
  static JsonObject chatListRequest(boolean archived) {
    return new JsonObject().put(ARCHIVED, archived);
  }

  /** Public: a missing or false {@code archived} leaves them out. */
  static boolean withArchived(JsonObject json) {
    return json != null && Boolean.TRUE.equals(json.getValue(ARCHIVED));
  }

  static JsonObject settingsToJson(ChatSettings settings) {
    return new JsonObject().put(OWNER_ID, settings.ownerId()).put(MODEL, settings.model())
        .put(SYSTEM_PROMPT, settings.systemPrompt()).put(TEMPERATURE, settings.temperature());
  }

  static ChatSettings settingsFromJson(JsonObject json) {
    return new ChatSettings(json.getString(OWNER_ID), json.getString(MODEL), json.getString(SYSTEM_PROMPT),
        json.getDouble(TEMPERATURE));
  }

  /** A chat's naming by a model: the claim, and its end ({@code title} null when the model failed). */
  static JsonObject titleToJson(ChatId chatId, String title) {
    return new JsonObject().put(CHAT_ID, chatId.value()).put(TITLE, title);
  }

  static String titleFromJson(JsonObject json) {
    return json.getString(TITLE);
  }

  static ChatId chatOf(JsonObject json) {
    return new ChatId(json.getString(CHAT_ID));
  }

  static JsonObject claimedToJson(boolean claimed) {
    return new JsonObject().put(CLAIMED, claimed);
  }

  static boolean claimedFromJson(JsonObject json) {
    return json.getBoolean(CLAIMED, false);
  }

  /**
   * The text a streaming reply has so far. Also a line of the embedded store's checkpoint journal,
   * which is why this one is public.
   */
  public record Checkpoint(String replyId, String content) {
    public JsonObject toJson() {
      return new JsonObject().put(REPLY_ID, replyId).put(CONTENT, content);
    }

    public static Checkpoint fromJson(JsonObject json) {
      return new Checkpoint(json.getString(REPLY_ID), json.getString(CONTENT));
    }
  }

  /** A reply's final text and status, and what it cost its owner (usage when the model said). */
  record Finish(String replyId, ChatId chatId, String ownerId, String content, MessageStatus status, TokenUsage usage) {
    JsonObject toJson() {
      return new JsonObject().put(REPLY_ID, replyId).put(CHAT_ID, chatId.value()).put(OWNER_ID, ownerId)
          .put(CONTENT, content).put(STATUS, status.wire()).put(USAGE, usage == null ? null : usage.toJson());
    }

    static Finish fromJson(JsonObject json) {
      return new Finish(json.getString(REPLY_ID), new ChatId(json.getString(CHAT_ID)), json.getString(OWNER_ID),
          json.getString(CONTENT), Wire.required(MessageStatus.class, json.getString(STATUS)), TokenUsage.fromJson(json.getJsonObject(USAGE)));
    }
  }

  /** Mark a reply whose node is gone as interrupted. */
  record Interrupt(String replyId) {
    JsonObject toJson() {
      return new JsonObject().put(REPLY_ID, replyId);
    }

    static Interrupt fromJson(JsonObject json) {
      return new Interrupt(json.getString(REPLY_ID));
    }
  }

  /** Delete the owner's chat and its messages. */
  record DeleteChat(ChatId chatId, String ownerId) {
    JsonObject toJson() {
      return new JsonObject().put(CHAT_ID, chatId.value()).put(OWNER_ID, ownerId);
    }

    /** The id is checked here: only a JSON string is a chat id. */
    static DeleteChat fromJson(JsonObject json) {
      return new DeleteChat(ChatId.parse(json.getValue(CHAT_ID)), json.getString(OWNER_ID));
    }
  }

  /** Whose chat is it: answered with {@link #ownerToJson}. */
  record ChatOwner(ChatId chatId) {
    JsonObject toJson() {
      return new JsonObject().put(CHAT_ID, chatId.value());
    }

    static ChatOwner fromJson(JsonObject json) {
      return new ChatOwner(ChatId.parse(json.getValue(CHAT_ID)));
    }
  }

  static JsonObject ownerToJson(String ownerId) {
    return new JsonObject().put(OWNER_ID, ownerId);
  }

  static String ownerFromJson(JsonObject json) {
    return json.getString(OWNER_ID);
  }

  /** The answer to {@link BeginExchange}. */
  static JsonObject exchangeToJson(Exchange.WithHistory begun) {
    return begun.exchange().toJson().put(HISTORY, messagesToJson(begun.history())).put(SETTINGS, settingsToJson(begun.settings()));
  }

  static Exchange.WithHistory exchangeFromJson(JsonObject json) {
    return new Exchange.WithHistory(Exchange.fromJson(json), messagesFromJson(json.getJsonArray(HISTORY)),
        settingsFromJson(json.getJsonObject(SETTINGS)));
  }

  /** The answer to the history and streaming-replies requests. */
  static JsonArray messagesToJson(List<ChatMessage> messages) {
    JsonArray array = new JsonArray();
    messages.forEach(message -> array.add(message.toJson()));
    return array;
  }

  static List<ChatMessage> messagesFromJson(JsonArray array) {
    return array.stream().map(item -> ChatMessage.fromJson((JsonObject) item)).toList();
  }

  /** The answer to the chat-list request. */
  static JsonArray chatsToJson(List<ChatSummary> chats) {
    JsonArray array = new JsonArray();
    chats.forEach(chat -> array.add(chat.toJson()));
    return array;
  }

  /** The answer to a ping when the database answered it, with what the search index is doing. */
  static JsonObject databaseReachable(JsonObject search) {
    return new JsonObject().put(DATABASE, "reachable").put(SEARCH, search);
  }

  /** Search the user's chats: answered with {@link #hitsToJson}. */
  record Search(SearchQuery query, String userId) {
    JsonObject toJson() {
      return query.toJson().put(USER_ID, userId);
    }

    static Search fromJson(JsonObject json) {
      return new Search(SearchQuery.fromJson(json), json.getString(USER_ID));
    }
  }

  static JsonArray hitsToJson(List<SearchHit> hits) {
    JsonArray array = new JsonArray();
    hits.forEach(hit -> array.add(hit.toJson()));
    return array;
  }

  static List<SearchHit> hitsFromJson(JsonArray array) {
    return array.stream().map(item -> SearchHit.fromJson((JsonObject) item)).toList();
  }

  /** Store these chats, read from an export file, as the owner's: answered with {@link #chatsToJson}. */
  record ImportChats(String ownerId, List<ImportedChat> chats) {
    JsonObject toJson() {
      JsonArray array = new JsonArray();
      chats.forEach(chat -> array.add(importedChatToJson(chat)));
      return new JsonObject().put(OWNER_ID, ownerId).put(CHATS, array);
    }

    static ImportChats fromJson(JsonObject json) {
      JsonArray array = json.getJsonArray(CHATS);
      List<ImportedChat> chats = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        chats.add(importedChatFromJson(array.getJsonObject(i)));
      }
      return new ImportChats(json.getString(OWNER_ID), chats);
    }
  }

  private static JsonObject importedChatToJson(ImportedChat chat) {
    JsonArray messages = new JsonArray();
    for (ImportedMessage message : chat.messages()) {
      messages.add(new JsonObject().put(ID, message.id()).put(PARENT_ID, message.parentId()).put(SENDER, message.sender().wire())
          .put(CONTENT, message.text()).put(STATUS, message.status().wire()).put(MODEL, message.model())
          .put(CREATED_AT, message.createdAt()));
    }
    return new JsonObject().put(CHAT_ID, chat.chatId().value()).put(TITLE, chat.title()).put(NAMED, chat.named())
        .put(SYSTEM_PROMPT, chat.systemPrompt()).put(MODEL, chat.model()).put(TEMPERATURE, chat.temperature())
        .put(MESSAGES, messages);
  }

  private static ImportedChat importedChatFromJson(JsonObject json) {
    JsonArray array = json.getJsonArray(MESSAGES);
    List<ImportedMessage> messages = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject message = array.getJsonObject(i);
      messages.add(new ImportedMessage(message.getString(ID), message.getString(PARENT_ID),
          Wire.required(Sender.class, message.getString(SENDER)), message.getString(CONTENT),
          Wire.required(MessageStatus.class, message.getString(STATUS)), message.getString(MODEL), message.getInstant(CREATED_AT)));
    }
    return new ImportedChat(new ChatId(json.getString(CHAT_ID)), json.getString(TITLE), json.getBoolean(NAMED),
        json.getString(SYSTEM_PROMPT), json.getString(MODEL), json.getDouble(TEMPERATURE), messages);
  }

  /** The owner's chat whole, for an export: answered with {@link #exportToJson}. */
  record ExportChat(ChatId chatId, String ownerId) {
    JsonObject toJson() {
      return new JsonObject().put(CHAT_ID, chatId.value()).put(OWNER_ID, ownerId);
    }

    static ExportChat fromJson(JsonObject json) {
      return new ExportChat(ChatId.parse(json.getValue(CHAT_ID)), json.getString(OWNER_ID));
    }
  }

  static JsonObject exportToJson(ChatExport export) {
    return new JsonObject().put(CHAT, export.chat().toJson()).put(MESSAGES, messagesToJson(export.messages()));
  }

  static ChatExport exportFromJson(JsonObject json) {
    JsonObject chat = json.getJsonObject(CHAT);
    ChatSummary summary = new ChatSummary(new ChatId(chat.getString(CHAT_ID)), chat.getString(TITLE),
        Instant.parse(chat.getString(UPDATED_AT)), chat.getLong(MESSAGE_COUNT), chat.getString(SYSTEM_PROMPT),
        chat.getString(MODEL), chat.getDouble(TEMPERATURE), chat.getBoolean(PINNED), chat.getBoolean(ARCHIVED));
    return new ChatExport(summary, messagesFromJson(json.getJsonArray(MESSAGES)));
  }

  /** The answer to a ping when the database answered it. */
  static JsonObject databaseReachable() {
    return new JsonObject().put(DATABASE, "reachable");
  }
}
