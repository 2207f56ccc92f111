package parley.transfer;

import static parley.transfer.ImportRules.bad;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import parley.chat.ChatPatch;
import parley.chat.MessageStatus;
import parley.chat.ModelIds;
import parley.chat.Sender;

/**
 * ChatGPT's {@code conversations.json} (from its data export): an array of conversations, each a
 * {@code mapping} of nodes {@code {id, message, parent, children}} keyed by id, and
 * {@code current_node}, the end of the branch last shown.
 *
 * <p>What becomes of a conversation:
 * <ul>
 *   <li>The messages of the user and of the assistant that have text ({@code content_type} {@code
 *       text} or {@code multimodal_text}; of the latter only the text parts, and the transcript of a
 *       voice message) are kept. The rest is left out: the empty root, system messages, hidden ones
 *       ({@code is_visually_hidden_from_conversation}, or weight 0), tool calls and their output
 *       (a {@code recipient} other than {@code all}, the {@code tool} role), reasoning
 *       ({@code thoughts}, a {@code channel} other than {@code final}), images and files without
 *       text, and empty messages. A message left out hands its children to its nearest kept
 *       ancestor, so the branches stay as they were.</li>
 *   <li>The first system message with text becomes the chat's system prompt (cut to the length a
 *       system prompt may have).</li>
 *   <li>Messages are created in the order of their {@code create_time} (one without a time goes
 *       right after its parent), except that the end of the branch {@code current_node} names is
 *       created last: that is the path Parley shows first.</li>
 *   <li>A reply's model is {@code chatgpt/} and its {@code model_slug} (or the conversation's
 *       {@code default_model_slug}); every imported message is complete.</li>
 * </ul>
 * A conversation with nothing left to keep is skipped. A node that is not an object, a parent that
 * is not in the mapping, a cycle, or a message without {@code author.role} or {@code
 * content.content_type} is refused, saying where.
 */
final class ChatGptFormat {
  static final String MODEL_PROVIDER = "chatgpt";
  private static final long NO_TIME = Long.MIN_VALUE;

  private ChatGptFormat() {}

  /** A lone conversation object (one element of the array) is read as a file of one. */
  static boolean looksLikeConversation(JsonObject object) {
    return object.getValue("mapping") instanceof JsonObject;
  }

  static List<ImportedChat> read(JsonArray conversations, int maxMessages, ImportIds ids, Instant now) {
    long total = 0;
    for (int c = 0; c < conversations.size(); c++) {
      if (!(conversations.getValue(c) instanceof JsonObject conversation)) {
        throw bad("conversation " + (c + 1) + " is not a JSON object: a ChatGPT conversations.json is an array of conversations");
      }
      if (!(conversation.getValue("mapping") instanceof JsonObject mapping)) {
        throw bad(ImportRules.label("conversation", c, conversation.getValue("title"))
            + " has no mapping: is this ChatGPT's conversations.json?");
      }
      total += mapping.size();
    }
    if (total > maxMessages) {
      throw ImportRules.tooMany(total, maxMessages);
    }
    List<ImportedChat> chats = new ArrayList<>();
    for (int c = 0; c < conversations.size(); c++) {
      JsonObject conversation = conversations.getJsonObject(c);
      ImportedChat chat = new Conversation(conversation, ImportRules.label("conversation", c, conversation.getValue("title")), now)
          .toChat(ids);
      if (chat != null) {
        chats.add(chat);
      }
    }
    return chats;
  }

  /** One conversation's nodes, by their position in its mapping. */
  private static final class Conversation {
    private final JsonObject json;
    private final String where;
    private final Instant now;
    private final List<String> keys;
    private final int[] parents;
    private final JsonObject[] messages;
    /** In milliseconds; {@link #NO_TIME} where neither the node nor an ancestor has one. */
    private final long[] times;
    private final boolean[] kept;
    private final int[] keptParents;
    private final String[] texts;
    private String systemPrompt;

    Conversation(JsonObject json, String where, Instant now) {
      this.json = json;
      this.where = where;
      this.now = now;
      JsonObject mapping = json.getJsonObject("mapping");
      keys = new ArrayList<>(mapping.fieldNames());
      int count = keys.size();
      Map<String, Integer> indexOf = new HashMap<>();
      for (int i = 0; i < count; i++) {
        indexOf.put(keys.get(i), i);
      }
      parents = new int[count];
      messages = new JsonObject[count];
      for (int i = 0; i < count; i++) {
        String key = keys.get(i);
        if (!(mapping.getValue(key) instanceof JsonObject node)) {
          throw bad(where + ": node " + ImportRules.quote(key) + " is not a JSON object");
        }
        Object parent = node.getValue("parent");
        if (parent == null) {
          parents[i] = -1;
        } else if (parent instanceof String parentKey && indexOf.containsKey(parentKey)) {
          parents[i] = indexOf.get(parentKey);
        } else {
          throw bad(where + ": node " + ImportRules.quote(key) + " names the parent " + ImportRules.quote(parent)
              + ", which is not a node of this conversation");
        }
        Object message = node.getValue("message");
        if (message != null && !(message instanceof JsonObject)) {
          throw bad(where + ": the message of node " + ImportRules.quote(key) + " is not a JSON object");
        }
        messages[i] = (JsonObject) message;
      }
      times = new long[count];
      kept = new boolean[count];
      keptParents = new int[count];
      texts = new String[count];
      int[] order;
      try {
        order = TreeOrder.of(parents, Comparator.naturalOrder(), -1);
      } catch (TreeOrder.Cycle cycle) {
        throw bad(where + ": nodes " + ImportRules.cycle(cycle.members().stream().map(keys::get).toList())
            + " are each the parent of the one before: a cycle, not a conversation");
      }
      long conversationTime = millis(json.getValue("create_time"));
      for (int i : order) {
        int parent = parents[i];
        long own = messages[i] == null ? NO_TIME : millis(messages[i].getValue("create_time"));
        times[i] = own != NO_TIME ? own : parent >= 0 ? times[parent] : conversationTime;
        keptParents[i] = parent < 0 ? -1 : kept[parent] ? parent : keptParents[parent];
        if (messages[i] != null) {
          look(i);
        }
      }
    }

    /** Decides whether node {@code i} is kept (and takes a system prompt from it). */
    private void look(int i) {
      JsonObject message = messages[i];
      String key = keys.get(i);
      JsonObject author = message.getValue("author") instanceof JsonObject object ? object : null;
      if (author == null || !(author.getValue("role") instanceof String role)) {
        throw bad(where + ": the message of node " + ImportRules.quote(key) + " has no author.role");
      }
      if (!(message.getValue("content") instanceof JsonObject content) || !(content.getValue("content_type") instanceof String type)) {
        throw bad(where + ": the message of node " + ImportRules.quote(key) + " has no content.content_type");
      }
      String text = text(content, type, key);
      if (text == null || text.isBlank()) {
        return;
      }
      if (role.equals("system")) {
        if (systemPrompt == null) {
          systemPrompt = text.length() <= ChatPatch.MAX_SYSTEM_PROMPT_CHARS ? text : text.substring(0, ChatPatch.MAX_SYSTEM_PROMPT_CHARS);
        }
        return;
      }
      if ((role.equals("user") || role.equals("assistant")) && shown(message)) {
        kept[i] = true;
        texts[i] = ImportRules.text(text, where + ", node " + ImportRules.quote(key));
      }
    }

    /** The text of a text or multimodal message: its text parts and voice transcripts; null for any other kind. */
    private String text(JsonObject content, String type, String key) {
      if (!type.equals("text") && !type.equals("multimodal_text")) {
        return null;
      }
      if (!(content.getValue("parts") instanceof JsonArray parts)) {
        throw bad(where + ": the " + type + " message of node " + ImportRules.quote(key) + " has no array of parts");
      }
      List<String> pieces = new ArrayList<>();
      for (Object part : parts) {
        if (part instanceof String piece) {
          pieces.add(piece);
        } else if (part instanceof JsonObject object && "audio_transcription".equals(object.getValue("content_type"))
            && object.getValue("text") instanceof String transcript) {
          pieces.add(transcript);
        }
      }
      return String.join("\n", pieces.stream().filter(piece -> !piece.isBlank()).toList());
    }

    /** Shown in ChatGPT as a message of the conversation: not hidden, not addressed to a tool, not reasoning. */
    private static boolean shown(JsonObject message) {
      JsonObject metadata = message.getValue("metadata") instanceof JsonObject object ? object : new JsonObject();
      if (Boolean.TRUE.equals(metadata.getValue("is_visually_hidden_from_conversation"))) {
        return false;
      }
      if (message.getValue("weight") instanceof Number weight && weight.doubleValue() == 0) {
        return false;
      }
      Object recipient = message.getValue("recipient");
      if (recipient != null && !"all".equals(recipient)) {
        return false;
      }
      Object channel = message.getValue("channel");
      return channel == null || "final".equals(channel);
    }

    ImportedChat toChat(ImportIds ids) {
      List<Integer> keptNodes = new ArrayList<>();
      Map<Integer, Integer> compact = new HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        if (kept[i]) {
          compact.put(i, keptNodes.size());
          keptNodes.add(i);
        }
      }
      if (keptNodes.isEmpty()) {
        return null;
      }
      int[] keptParentsCompact = new int[keptNodes.size()];
      for (int k = 0; k < keptNodes.size(); k++) {
        int parent = keptParents[keptNodes.get(k)];
        keptParentsCompact[k] = parent < 0 ? -1 : compact.get(parent);
      }
      Comparator<Integer> earlier = Comparator.<Integer>comparingLong(k -> times[keptNodes.get(k)])
          .thenComparingInt(k -> keptNodes.get(k));
      int shownLast = shownLeaf(keptNodes, keptParentsCompact, compact, earlier);
      int[] order;
      try {
        order = TreeOrder.of(keptParentsCompact, earlier, shownLast);
      } catch (TreeOrder.Cycle impossible) {
        throw new IllegalStateException("kept nodes follow kept ancestors of an acyclic mapping", impossible);
      }
      String[] newIds = new String[keptNodes.size()];
      List<ImportedMessage> chatMessages = new ArrayList<>(keptNodes.size());
      for (int k : order) {
        int node = keptNodes.get(k);
        newIds[k] = ids.message();
        Sender sender = "user".equals(messages[node].getJsonObject("author").getValue("role")) ? Sender.USER : Sender.BOT;
        long time = times[node];
        Instant createdAt = time == NO_TIME ? now : ImportRules.time(Instant.ofEpochMilli(time), now);
        chatMessages.add(new ImportedMessage(newIds[k], keptParentsCompact[k] < 0 ? null : newIds[keptParentsCompact[k]], sender,
            texts[node], MessageStatus.COMPLETE, sender == Sender.BOT ? model(messages[node]) : null,
            createdAt == null ? now : createdAt));
      }
      String title = json.getValue("title") instanceof String text ? ImportRules.title(text) : null;
      return new ImportedChat(ids.chat(), title == null ? ImportRules.titleFromFirst(chatMessages) : title, title != null,
          systemPrompt, null, null, chatMessages);
    }

    /**
     * The kept message that ends the branch last shown: {@code current_node}, or its nearest kept
     * ancestor, continued by the most recent kept child down to a message without children; -1
     * when the conversation names none (its latest message then ends the path).
     */
    private int shownLeaf(List<Integer> keptNodes, int[] keptParentsCompact, Map<Integer, Integer> compact,
        Comparator<Integer> earlier) {
      Object current = json.getValue("current_node");
      int node = current instanceof String key ? keys.indexOf(key) : -1;
      if (node < 0) {
        return -1;
      }
      int shown = kept[node] ? node : keptParents[node];
      if (shown < 0) {
        return -1;
      }
      Map<Integer, List<Integer>> children = new HashMap<>();
      for (int k = 0; k < keptNodes.size(); k++) {
        if (keptParentsCompact[k] >= 0) {
          children.computeIfAbsent(keptParentsCompact[k], parent -> new ArrayList<>()).add(k);
        }
      }
      int at = compact.get(shown);
      for (List<Integer> next = children.get(at); next != null; next = children.get(at)) {
        at = next.stream().max(earlier).orElseThrow();
      }
      return at;
    }

    private String model(JsonObject message) {
      JsonObject metadata = message.getValue("metadata") instanceof JsonObject object ? object : new JsonObject();
      Object slug = metadata.getValue("model_slug");
      if (!(slug instanceof String own) || own.isBlank()) {
        slug = json.getValue("default_model_slug");
      }
      if (!(slug instanceof String name) || name.isBlank()) {
        return null;
      }
      String id = ModelIds.of(MODEL_PROVIDER, name.strip());
      return id.length() <= ModelIds.MAX_CHARS ? id : null;
    }

    /** A ChatGPT time (seconds since 1970, with a fraction) in milliseconds, or {@link #NO_TIME}. */
    private static long millis(Object seconds) {
      if (!(seconds instanceof Number number)) {
        return NO_TIME;
      }
      double value = number.doubleValue();
      return Double.isFinite(value) && value >= 0 && value < 1e11 ? Math.round(value * 1000) : NO_TIME;
    }
  }
}
