package parley.transfer;

import static parley.transfer.ImportRules.bad;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import parley.chat.ChatMessage;
import parley.chat.ChatPatch;
import parley.chat.ChatSummary;
import parley.chat.MessageStatus;
import parley.chat.Sender;
import parley.chat.Wire;

/**
 * Parley's own export file, which an import takes back:
 * <pre>
 * {"format": "parley-chat", "version": 1, "exportedAt": "…",
 *  "chats": [{"title", "systemPrompt"?, "model"?, "temperature"?, "createdAt",
 *             "messages": [{"id", "parentId", "sender", "text", "status", "model"?, "createdAt"}]}]}
 * </pre>
 * Messages come in the order they were created, a parent always before its child, so the last one
 * ends the path the chat shows. Reading is stricter about shape than about order: messages listed
 * before their parent are put after it, but a parent that is missing, a cycle, a wrong type or an
 * unknown sender or status is refused, saying where.
 */
public final class ParleyFormat {
  public static final String FORMAT = "parley-chat";
  public static final int VERSION = 1;

  static final String FORMAT_FIELD = "format";
  static final String VERSION_FIELD = "version";
  static final String EXPORTED_AT = "exportedAt";
  static final String CHATS = "chats";
  static final String TITLE = "title";
  static final String SYSTEM_PROMPT = "systemPrompt";
  static final String MODEL = "model";
  static final String TEMPERATURE = "temperature";
  static final String CREATED_AT = "createdAt";
  static final String MESSAGES = "messages";
  static final String ID = "id";
  static final String PARENT_ID = "parentId";
  static final String SENDER = "sender";
  static final String TEXT = "text";
  static final String STATUS = "status";

  private ParleyFormat() {}

  public static JsonObject write(List<ChatExport> chats, Instant exportedAt) {
    JsonArray written = new JsonArray();
    chats.forEach(chat -> written.add(chat(chat)));
    return new JsonObject()
        .put(FORMAT_FIELD, FORMAT)
        .put(VERSION_FIELD, VERSION)
        .put(EXPORTED_AT, ChatMessage.timestamp(exportedAt))
        .put(CHATS, written);
  }

  private static JsonObject chat(ChatExport export) {
    ChatSummary chat = export.chat();
    JsonObject json = new JsonObject().put(TITLE, chat.title());
    if (chat.systemPrompt() != null) {
      json.put(SYSTEM_PROMPT, chat.systemPrompt());
    }
    if (chat.model() != null) {
      json.put(MODEL, chat.model());
    }
    if (chat.temperature() != null) {
      json.put(TEMPERATURE, chat.temperature());
    }
    json.put(CREATED_AT, ChatMessage.timestamp(export.createdAt()));
    JsonArray messages = new JsonArray();
    for (ChatMessage message : export.messages()) {
      JsonObject written = new JsonObject()
          .put(ID, message.id())
          .put(PARENT_ID, message.parentId())
          .put(SENDER, message.sender().wire())
          .put(TEXT, message.content())
          .put(STATUS, message.status().wire());
      if (message.model() != null) {
        written.put(MODEL, message.model());
      }
      messages.add(written.put(CREATED_AT, ChatMessage.timestamp(message.createdAt())));
    }
    return json.put(MESSAGES, messages);
  }

  /** Whether a file's top-level object says it is Parley's (it may be another's that names a format). */
  static boolean claims(JsonObject file) {
    return file.containsKey(FORMAT_FIELD);
  }

  static List<ImportedChat> read(JsonObject file, int maxMessages, ImportIds ids, Instant now) {
    Object format = file.getValue(FORMAT_FIELD);
    if (!FORMAT.equals(format)) {
      throw bad("unknown format " + (format instanceof String ? ImportRules.quote(format) : "") + ": an import takes a Parley "
          + "export (\"format\": \"" + FORMAT + "\") or a ChatGPT conversations.json");
    }
    Object version = file.getValue(VERSION_FIELD);
    if (!(version instanceof Number number) || number.doubleValue() != VERSION) {
      throw bad("version " + version + " of the Parley export format is not one this Parley reads (it reads " + VERSION + ")");
    }
    if (!(file.getValue(CHATS) instanceof JsonArray chats) || chats.isEmpty()) {
      throw bad("a Parley export holds its chats in a non-empty array \"chats\"");
    }
    long total = 0;
    for (int c = 0; c < chats.size(); c++) {
      if (!(chats.getValue(c) instanceof JsonObject chat)) {
        throw bad("chat " + (c + 1) + " is not a JSON object");
      }
      if (!(chat.getValue(MESSAGES) instanceof JsonArray messages) || messages.isEmpty()) {
        throw bad(ImportRules.label("chat", c, chat.getValue(TITLE)) + " has no messages: it needs a non-empty array \"messages\"");
      }
      total += messages.size();
    }
    if (total > maxMessages) {
      throw ImportRules.tooMany(total, maxMessages);
    }
    List<ImportedChat> read = new ArrayList<>(chats.size());
    for (int c = 0; c < chats.size(); c++) {
      read.add(chat(chats.getJsonObject(c), ImportRules.label("chat", c, chats.getJsonObject(c).getValue(TITLE)), ids, now));
    }
    return read;
  }

  /** One message as the file has it, its parent still the file's id. */
  private record Entry(String id, String parentId, Sender sender, String text, MessageStatus status, String model, Instant createdAt) {}

  private static ImportedChat chat(JsonObject chat, String where, ImportIds ids, Instant now) {
    JsonArray listed = chat.getJsonArray(MESSAGES);
    List<Entry> entries = new ArrayList<>(listed.size());
    Map<String, Integer> indexOf = new HashMap<>();
    for (int m = 0; m < listed.size(); m++) {
      Entry entry = entry(listed.getValue(m), where + ", message " + (m + 1), now);
      if (indexOf.put(entry.id(), m) != null) {
        throw bad(where + ": two messages have the id " + ImportRules.quote(entry.id()));
      }
      entries.add(entry);
    }
    int[] parents = new int[entries.size()];
    for (int m = 0; m < entries.size(); m++) {
      String parentId = entries.get(m).parentId();
      Integer parent = parentId == null ? Integer.valueOf(-1) : indexOf.get(parentId);
      if (parent == null) {
        throw bad(where + ": message " + ImportRules.quote(entries.get(m).id()) + " follows " + ImportRules.quote(parentId)
            + ", which is not a message of this chat");
      }
      parents[m] = parent;
    }
    int[] order;
    try {
      order = TreeOrder.of(parents, Comparator.naturalOrder(), -1);
    } catch (TreeOrder.Cycle cycle) {
      throw bad(where + ": messages " + ImportRules.cycle(cycle.members().stream().map(m -> entries.get(m).id()).toList())
          + " each follow the next: a cycle, not a conversation");
    }
    Instant chatCreated = ImportRules.time(instant(chat.getValue(CREATED_AT)), now);
    String[] newIds = new String[entries.size()];
    List<ImportedMessage> messages = new ArrayList<>(entries.size());
    Instant previous = chatCreated == null ? now : chatCreated;
    for (int m : order) {
      Entry entry = entries.get(m);
      newIds[m] = ids.message();
      Instant createdAt = entry.createdAt() == null ? previous : entry.createdAt();
      messages.add(new ImportedMessage(newIds[m], parents[m] < 0 ? null : newIds[parents[m]], entry.sender(), entry.text(),
          entry.status(), entry.model(), createdAt));
      previous = createdAt;
    }
    String title = ImportRules.title(optionalString(chat, TITLE, where));
    return new ImportedChat(ids.chat(), title == null ? ImportRules.titleFromFirst(messages) : title, title != null,
        systemPrompt(chat, where), ImportRules.model(chat.getValue(MODEL), where), temperature(chat, where), messages);
  }

  private static Entry entry(Object value, String where, Instant now) {
    if (!(value instanceof JsonObject message)) {
      throw bad(where + " is not a JSON object");
    }
    if (!(message.getValue(ID) instanceof String id) || id.isBlank()) {
      throw bad(where + " has no id: each message needs a string \"id\"");
    }
    String named = where + " (" + ImportRules.quote(id) + ")";
    Object parent = message.getValue(PARENT_ID);
    if (parent != null && !(parent instanceof String)) {
      throw bad(named + ": parentId must be a message id or null");
    }
    Sender sender = message.getValue(SENDER) instanceof String word ? Wire.parse(Sender.class, word) : null;
    if (sender == null) {
      throw bad(named + ": sender must be user or bot");
    }
    if (!(message.getValue(TEXT) instanceof String text)) {
      throw bad(named + ": text must be a string");
    }
    if (sender == Sender.USER && text.isBlank()) {
      throw bad(named + ": a message of the user must have a text");
    }
    return new Entry(id, (String) parent, sender, ImportRules.text(text, named), status(message, sender, named),
        sender == Sender.BOT ? ImportRules.model(message.getValue(MODEL), named) : null,
        ImportRules.time(instant(message.getValue(CREATED_AT)), now));
  }

  /** A user message is complete; a reply keeps how it ended, and one still streaming when exported was cut short. */
  private static MessageStatus status(JsonObject message, Sender sender, String where) {
    Object value = message.getValue(STATUS);
    if (value == null) {
      return MessageStatus.COMPLETE;
    }
    MessageStatus status = value instanceof String word ? Wire.parse(MessageStatus.class, word) : null;
    if (status == null) {
      throw bad(where + ": status must be one of complete, terminated, error, interrupted, streaming");
    }
    if (sender == Sender.USER) {
      return MessageStatus.COMPLETE;
    }
    return status == MessageStatus.STREAMING ? MessageStatus.INTERRUPTED : status;
  }

  private static String systemPrompt(JsonObject chat, String where) {
    String prompt = optionalString(chat, SYSTEM_PROMPT, where);
    if (prompt != null && prompt.length() > ChatPatch.MAX_SYSTEM_PROMPT_CHARS) {
      throw bad(where + ": systemPrompt must be at most " + ChatPatch.MAX_SYSTEM_PROMPT_CHARS + " characters");
    }
    return prompt == null || prompt.isBlank() ? null : prompt;
  }

  private static Double temperature(JsonObject chat, String where) {
    Object value = chat.getValue(TEMPERATURE);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number) || !(number.doubleValue() >= 0 && number.doubleValue() <= ChatPatch.MAX_TEMPERATURE)) {
      throw bad(where + ": temperature must be a number from 0 to " + ChatPatch.MAX_TEMPERATURE + ", or null");
    }
    return number.doubleValue();
  }

  private static String optionalString(JsonObject json, String field, String where) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw bad(where + ": " + field + " must be a string");
    }
    return (String) value;
  }

  /** An ISO-8601 instant, or null for anything else: a time that cannot be read is not a reason to refuse a file. */
  private static Instant instant(Object value) {
    if (!(value instanceof String text)) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      return null;
    }
  }
}
