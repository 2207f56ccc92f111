package parley.bus;

import parley.chat.ChatId;

/**
 * Every event-bus address Parley uses, named here and nowhere else. The public ones are documented
 * in the README and open to the TCP bridge; the rest are internal between Parley's own verticles.
 */
public final class Addresses {
  private Addresses() {}

  /**
   * The header of every request on a public address that says for whom it acts: the user id. Set
   * by the edges that authenticated the request (HTTP, the bridge) and by trusted JVM peers.
   */
  public static final String USER_HEADER = "parley-user";

  /** Public, request/reply: body as POST /api/messages; answers {message, reply}. */
  public static final String SEND = "parley.messages.send";

  /** Internal, node-local: the same, for this node's HTTP verticle, so a reply runs where it was asked for. */
  public static final String SEND_LOCAL = "parley.messages.send.local";

  /** Internal, node-local: {messageId, model?} from this node's HTTP verticle; answers {reply}, a new version of a bot reply. */
  public static final String REGENERATE_LOCAL = "parley.messages.regenerate.local";

  /** Internal, node-local: {}; answers the models this node's replies can use (GET /api/models). */
  public static final String MODELS_LOCAL = "parley.models.list.local";

  /** Public, request/reply: {chatId, limit?, before?, via?}; answers a JSON array of messages (one path), oldest first. */
  public static final String HISTORY = "parley.messages.history";

  /** Public, request/reply: {archived?}; answers the chat list. */
  public static final String CHATS = "parley.chats.list";

  private static final String CHAT_PREFIX = "parley.chat.";

  /** Public, published: every delta and the end of the chat's replies. */
  public static String events(ChatId chatId) {
    return CHAT_PREFIX + chatId.value() + ".events";
  }

  /** Public, published: stops the chat's running reply wherever it runs. */
  public static String terminate(ChatId chatId) {
    return CHAT_PREFIX + chatId.value() + ".terminate";
  }

  /** The chat of a per-chat address ({@code parley.chat.<chatId>.events|terminate}), or null for any other. */
  public static ChatId chatOf(String address) {
    if (!address.startsWith(CHAT_PREFIX)) {
      return null;
    }
    int end = address.lastIndexOf('.');
    if (end <= CHAT_PREFIX.length()) {
      return null;
    }
    try {
      return new ChatId(address.substring(CHAT_PREFIX.length(), end));
    } catch (RuntimeException notAChatId) {
      return null;
    }
  }

  /**
   * Internal, request/reply: the replay logs of the replies a node runs or keeps, one address per
   * node (a consumer per reply would be one more cluster-wide registration for every send).
   */
  public static String replay(String nodeId) {
    return "parley.node." + nodeId + ".replay";
  }

  /** Internal, node-local: the persistence verticle's operations. */
  public static final String STORE_BEGIN_EXCHANGE = "parley.store.exchange.begin";
  public static final String STORE_CHECKPOINT = "parley.store.reply.checkpoint";
  public static final String STORE_FINISH = "parley.store.reply.finish";
  public static final String STORE_DELETE_CHAT = "parley.store.chat.delete";
  public static final String STORE_STREAMING = "parley.store.reply.streaming";
  public static final String STORE_INTERRUPT = "parley.store.reply.interrupt";
  public static final String STORE_CHAT_OWNER = "parley.store.chat.owner";
  public static final String STORE_BEGIN_REGENERATION = "parley.store.regeneration.begin";
  public static final String STORE_MESSAGE = "parley.store.message";
  public static final String STORE_CHAT_SETTINGS = "parley.store.chat.settings";
  public static final String STORE_REPLY_MODEL = "parley.store.reply.model";
  public static final String STORE_PATCH_CHAT = "parley.store.chat.patch";
  public static final String STORE_CLAIM_TITLE = "parley.store.chat.title.claim";
  public static final String STORE_TITLED = "parley.store.chat.title.set";
  public static final String STORE_SEARCH = "parley.store.search";
  /** Every message of a chat and its settings, for an export. */
  public static final String STORE_EXPORT_CHAT = "parley.store.chat.export";
  /** Whole chats from an export file, written all or nothing. */
  public static final String STORE_IMPORT_CHATS = "parley.store.chats.import";

  /** Internal, node-local: accounts, sign-ins and usage; the operation is the message's {@code action} header. */
  public static final String STORE_ACCOUNTS = "parley.store.accounts";

  /** Internal, published: {userId} of an account an admin deleted; every node stops that account's replies and forgets them. */
  public static final String ACCOUNT_DELETED = "parley.account.deleted";

  /** Internal, published: {chatId} of a chat being deleted; every node stops its running reply and forgets its replies. */
  public static final String CHAT_DELETED = "parley.chats.deleted";

  /** Internal, node-local: each verticle says whether what it depends on answers (for /health). */
  public static final String STORE_PING = "parley.store.ping";
  public static final String MODEL_PING = "parley.model.ping";

  /** Regular expressions of the addresses that services outside the JVM may use through the bridge. */
  public static final String PUBLIC_INBOUND_REGEX =
      "parley\\.messages\\.send|parley\\.messages\\.history|parley\\.chats\\.list|parley\\.chat\\.[A-Za-z0-9_-]{1,64}\\.terminate";
  public static final String PUBLIC_OUTBOUND_REGEX = "parley\\.chat\\.[A-Za-z0-9_-]{1,64}\\.(events|terminate)";
}
