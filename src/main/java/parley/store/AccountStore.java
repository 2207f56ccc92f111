package parley.store;

import com.mongodb.MongoException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import parley.auth.Accounts;
import parley.auth.Credential;
import parley.auth.LocalUser;
import parley.auth.ProviderIdentity;
import parley.auth.Role;
import parley.auth.Secrets;
import parley.auth.Usage;
import parley.auth.User;
import parley.chat.ChatMessage;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.chat.Wire;

/**
 * Accounts, their sign-ins and their usage in MongoDB: collections {@code users} (unique
 * {@code username}), {@code credentials} (one document a session or token, keyed by the digest of
 * its secret), {@code usage} (one document per user and day, and per user and month) and
 * {@code meta} (who claimed the first account). Plain Java: the persistence verticle answers for it.
 */
public final class AccountStore implements Accounts {
  static final String USERS = "users";
  static final String CREDENTIALS = "credentials";
  static final String USAGE = "usage";
  static final String META = "meta";
  /** Links from an OpenID Connect provider's {@code (iss, sub)} to an account: {@code {_id: "iss#sub", userId}}. */
  static final String IDENTITIES = "identities";
  /** Names tried for a provider's account before giving up: {@code jane}, {@code jane-2}, … */
  private static final int NAME_ATTEMPTS = 50;
  private static final String FIRST_ACCOUNT = "first-account";
  /** How long a browser stays signed in. */
  static final int SESSION_DAYS = 30;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM").withZone(ZoneOffset.UTC);

  private final MongoClient mongo;
  private final Clock clock;
  private final Supplier<Future<Void>> flush;
  private final SearchIndex search;

  /** @param flush makes what was written survive a crash before it is acknowledged */
  /** @param search told when an account's chats go, or change owner */
  public AccountStore(MongoClient mongo, Clock clock, Supplier<Future<Void>> flush, SearchIndex search) {
    this.mongo = mongo;
    this.clock = clock;
    this.flush = flush;
    this.search = search;
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(USERS, new JsonObject().put("username", 1), new IndexOptions().unique(true)).mapEmpty();
  }

  @Override
  public Future<Boolean> anyAccount() {
    return mongo.findOne(USERS, new JsonObject(), new JsonObject().put("_id", 1)).map(found -> found != null);
  }

  /** Whoever inserts this document first is the first account: two sign-ups at once cannot both be. */
  private Future<Boolean> claimFirstAccount(String userId) {
    return mongo.insert(META, new JsonObject().put("_id", FIRST_ACCOUNT).put("userId", userId))
        .map(inserted -> true)
        .recover(failure -> duplicateKey(failure) ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  @Override
  public Future<User> signUp(String username, String passwordHash, boolean signupOpen) {
    String id = Secrets.newId();
    return claimFirstAccount(id)
        .compose(first -> {
          if (!first && !signupOpen) {
            return Future.failedFuture(new Rejection(ErrorCode.SIGNUP_CLOSED, "sign-up is closed: ask an admin for an account"));
          }
          User user = new User(id, username, first ? Role.ADMIN : Role.USER, clock.instant());
          Future<User> stored = insertUser(user, passwordHash);
          if (!first) {
            return stored;
          }
          return stored
              .recover(failure -> mongo.removeDocuments(META, new JsonObject().put("_id", FIRST_ACCOUNT))
                  .transform(v -> Future.failedFuture(failure)))
              .compose(admin -> adoptLocalChats(admin.id()).map(admin));
        })
        .compose(user -> flush.get().map(user));
  }

  @Override
  public Future<User> create(String username, Role role, String passwordHash) {
    User user = new User(Secrets.newId(), username, role, clock.instant());
    return insertUser(user, passwordHash).compose(stored -> flush.get().map(stored));
  }

  private Future<User> insertUser(User user, String passwordHash) {
    JsonObject doc = new JsonObject()
        .put("_id", user.id())
        .put("username", user.username())
        .put("role", user.role().wire())
        .put("passwordHash", passwordHash)
        .put("createdAt", ChatMessage.timestamp(user.createdAt()));
    return mongo.insert(USERS, doc).map(user).recover(failure -> Future.failedFuture(duplicateKey(failure)
        ? new Rejection(ErrorCode.USERNAME_TAKEN, "the username '" + user.username() + "' is taken")
        : failure));
  }

  /** Chats made while nobody could sign in belong to the first admin. */
  private Future<Void> adoptLocalChats(String adminId) {
    JsonObject localChats = new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put(MessageStore.OWNER_ID, LocalUser.ID))
        .add(new JsonObject().put(MessageStore.OWNER_ID, new JsonObject().put("$exists", false))));
    return mongo.updateCollectionWithOptions(MessageStore.CHATS, localChats,
            new JsonObject().put("$set", new JsonObject().put(MessageStore.OWNER_ID, adminId)), new UpdateOptions().setMulti(true))
        .map(result -> {
          if (result == null || result.getDocModified() > 0) {
            search.chatsAdopted(LocalUser.ID, adminId);
          }
          return null;
        });
  }

  /**
   * Chats stored before chats had owners belong to the local user: the first admin once there is
   * one. Run at start; a no-op once every chat has an owner.
   */
  public Future<Void> ownOwnerlessChats() {
    return firstAdmin().compose(admin -> admin != null
        ? adoptLocalChats(admin)
        : mongo.updateCollectionWithOptions(MessageStore.CHATS,
                new JsonObject().put(MessageStore.OWNER_ID, new JsonObject().put("$exists", false)),
                new JsonObject().put("$set", new JsonObject().put(MessageStore.OWNER_ID, LocalUser.ID)),
                new UpdateOptions().setMulti(true))
            .mapEmpty());
  }

  @Override
  public Future<User> linked(ProviderIdentity identity) {
    String key = identity.issuer() + "#" + identity.subject();
    return mongo.findOne(IDENTITIES, new JsonObject().put("_id", key), null).compose(link -> link == null
        ? newLinked(key, identity)
        : linkedUser(key, link.getString("userId"), identity));
  }

  /** The linked account, its role brought in line with the provider's groups; made again if it went meanwhile. */
  private Future<User> linkedUser(String key, String userId, ProviderIdentity identity) {
    return mongo.findOne(USERS, new JsonObject().put("_id", userId), new JsonObject().put("passwordHash", 0)).compose(doc -> {
      if (doc == null) {
        return mongo.removeDocuments(IDENTITIES, new JsonObject().put("_id", key)).compose(v -> newLinked(key, identity));
      }
      User user = user(doc);
      return identity.role() == null || identity.role() == user.role() ? Future.succeededFuture(user) : withRole(user, identity.role());
    });
  }

  private Future<User> withRole(User user, Role role) {
    return mongo.updateCollection(USERS, new JsonObject().put("_id", user.id()),
            new JsonObject().put("$set", new JsonObject().put("role", role.wire())))
        .compose(v -> flush.get())
        .map(new User(user.id(), user.username(), role, user.createdAt()));
  }

  /**
   * The account first, then its link: of two first uses at once (a service's parallel requests),
   * the second to link gives its account up and takes the first one's, which then also gets the
   * admin role if the second had claimed the first account.
   */
  private Future<User> newLinked(String key, ProviderIdentity identity) {
    String id = Secrets.newId();
    Future<Boolean> claimed = identity.role() == null ? claimFirstAccount(id) : Future.succeededFuture(false);
    return claimed.compose(first -> {
      Role role = identity.role() != null ? identity.role() : first ? Role.ADMIN : Role.USER;
      return insertNamed(new User(id, identity.username(), role, clock.instant()), identity, 1)
          .compose(user -> first ? adoptLocalChats(user.id()).map(user) : Future.succeededFuture(user))
          .compose(user -> mongo.insert(IDENTITIES, new JsonObject().put("_id", key).put("userId", user.id()))
              .map(user)
              .recover(failure -> duplicateKey(failure)
                  ? mongo.removeDocuments(USERS, new JsonObject().put("_id", user.id())).compose(v -> linked(identity))
                      .compose(theirs -> first && theirs.role() != Role.ADMIN ? withRole(theirs, Role.ADMIN) : Future.succeededFuture(theirs))
                  : Future.failedFuture(failure)));
    }).compose(user -> flush.get().map(user));
  }

  /** Inserts the account under the first free name of the identity's. */
  private Future<User> insertNamed(User user, ProviderIdentity identity, int attempt) {
    User named = new User(user.id(), identity.username(attempt), user.role(), user.createdAt());
    return insertUser(named, null).recover(failure -> failure instanceof Rejection taken && taken.code() == ErrorCode.USERNAME_TAKEN
        && attempt < NAME_ATTEMPTS ? insertNamed(user, identity, attempt + 1) : Future.failedFuture(failure));
  }

  @Override
  public Future<Login> login(String username) {
    return mongo.findOne(USERS, new JsonObject().put("username", username), null)
        .map(doc -> doc == null ? null : new Login(user(doc), doc.getString("passwordHash")));
  }

  @Override
  public Future<List<User>> users() {
    return mongo.findWithOptions(USERS, new JsonObject(), new FindOptions().setSort(new JsonObject().put("createdAt", 1))
            .setFields(new JsonObject().put("passwordHash", 0)))
        .map(docs -> docs.stream().map(AccountStore::user).toList());
  }

  @Override
  public Future<Boolean> deleteUser(String userId) {
    JsonObject byUser = new JsonObject().put("userId", userId);
    JsonObject owned = new JsonObject().put(MessageStore.OWNER_ID, userId);
    return mongo.findOne(USERS, new JsonObject().put("_id", userId), new JsonObject().put("_id", 1)).compose(found -> {
      if (found == null) {
        return Future.succeededFuture(false);
      }
      // Sign-ins first, so nothing can act for the account while its data goes.
      return mongo.removeDocuments(CREDENTIALS, byUser)
          .compose(v -> mongo.find(MessageStore.CHATS, owned))
          .compose(chats -> {
            JsonArray chatIds = new JsonArray();
            chats.forEach(chat -> chatIds.add(chat.getString("_id")));
            return mongo.removeDocuments(MessageStore.MESSAGES, new JsonObject().put("chatId", new JsonObject().put("$in", chatIds)));
          })
          .compose(v -> mongo.removeDocuments(MessageStore.CHATS, owned))
          .compose(v -> mongo.removeDocuments(USAGE, byUser))
          .compose(v -> mongo.removeDocuments(IDENTITIES, byUser))
          .compose(v -> mongo.removeDocuments(USERS, new JsonObject().put("_id", userId)))
          .compose(v -> flush.get())
          .map(v -> {
            search.accountDeleted(userId);
            return true;
          });
    });
  }

  @Override
  public Future<Void> saveCredential(Credential credential) {
    JsonObject doc = new JsonObject()
        .put("_id", credential.digest())
        .put("kind", credential.kind().name())
        .put("userId", credential.userId())
        .put("tokenId", credential.tokenId())
        .put("name", credential.name())
        .put("createdAt", ChatMessage.timestamp(credential.createdAt()));
    return mongo.insert(CREDENTIALS, doc).compose(v -> flush.get());
  }

  @Override
  public Future<User> userOf(String digest, Credential.Kind kind) {
    JsonObject fields = new JsonObject().put("userId", 1).put("kind", 1).put("createdAt", 1);
    return mongo.findOne(CREDENTIALS, new JsonObject().put("_id", digest), fields).compose(credential -> {
      if (credential == null || !kind.name().equals(credential.getString("kind"))) {
        return Future.succeededFuture(null);
      }
      if (expired(credential)) {
        return mongo.removeDocuments(CREDENTIALS, new JsonObject().put("_id", digest)).map(v -> (User) null);
      }
      return mongo.findOne(USERS, new JsonObject().put("_id", credential.getString("userId")), new JsonObject().put("passwordHash", 0))
          .map(doc -> doc == null ? null : user(doc));
    });
  }

  /** A session lasts {@link #SESSION_DAYS} days from sign-in; a token until it is revoked. */
  private boolean expired(JsonObject credential) {
    return Credential.Kind.SESSION.name().equals(credential.getString("kind"))
        && Instant.parse(credential.getString("createdAt")).plus(Duration.ofDays(SESSION_DAYS)).isBefore(clock.instant());
  }

  @Override
  public Future<Void> touch(String digest) {
    return mongo.updateCollection(CREDENTIALS, new JsonObject().put("_id", digest),
        new JsonObject().put("$set", new JsonObject().put("lastUsedAt", ChatMessage.timestamp(clock.instant())))).mapEmpty();
  }

  @Override
  public Future<Void> deleteCredential(String digest) {
    return mongo.removeDocuments(CREDENTIALS, new JsonObject().put("_id", digest)).compose(v -> flush.get());
  }

  @Override
  public Future<List<Credential>> tokens(String userId) {
    JsonObject query = new JsonObject().put("userId", userId).put("kind", Credential.Kind.TOKEN.name());
    return mongo.findWithOptions(CREDENTIALS, query, new FindOptions().setSort(new JsonObject().put("createdAt", 1)))
        .map(docs -> docs.stream().map(AccountStore::credential).toList());
  }

  @Override
  public Future<String> deleteToken(String userId, String tokenId) {
    JsonObject query = new JsonObject().put("userId", userId).put("kind", Credential.Kind.TOKEN.name()).put("tokenId", tokenId);
    return mongo.findOne(CREDENTIALS, query, new JsonObject().put("_id", 1)).compose(found -> found == null
        ? Future.succeededFuture(null)
        : mongo.removeDocuments(CREDENTIALS, new JsonObject().put("_id", found.getString("_id")))
            .compose(v -> flush.get())
            .map(found.getString("_id")));
  }

  /** Adds a finished reply and the tokens it cost to the user's day and month. */
  public Future<Void> addUsage(String userId, long promptTokens, long completionTokens) {
    Instant now = clock.instant();
    // One request for both counters: this runs at the end of every reply.
    return mongo.bulkWrite(USAGE, List.of(
            BulkOperation.createUpdate(usageKey(userId, DAY.format(now)), usageAdded(userId, DAY.format(now), promptTokens,
                completionTokens), true, false),
            BulkOperation.createUpdate(usageKey(userId, MONTH.format(now)), usageAdded(userId, MONTH.format(now), promptTokens,
                completionTokens), true, false)))
        .mapEmpty();
  }

  /** By _id alone, which the embedded store finds by its index (it would scan for any other filter). */
  private static JsonObject usageKey(String userId, String period) {
    return new JsonObject().put("_id", userId + "/" + period);
  }

  private static JsonObject usageAdded(String userId, String period, long promptTokens, long completionTokens) {
    return new JsonObject()
        .put("$setOnInsert", new JsonObject().put("userId", userId).put("period", period))
        .put("$inc", new JsonObject().put("replies", 1).put("promptTokens", promptTokens).put("completionTokens", completionTokens));
  }

  @Override
  public Future<Usage> usage(String userId) {
    return usageOf(new JsonObject().put("userId", userId)).map(all -> all.getOrDefault(userId, Usage.NONE));
  }

  @Override
  public Future<Map<String, Usage>> usageOfAll() {
    return usageOf(new JsonObject());
  }

  private Future<Map<String, Usage>> usageOf(JsonObject filter) {
    Instant now = clock.instant();
    String day = DAY.format(now);
    String month = MONTH.format(now);
    JsonObject query = filter.copy().put("period", new JsonObject().put("$in", new JsonArray().add(day).add(month)));
    return mongo.find(USAGE, query).map(docs -> {
      Map<String, Usage.Count[]> counts = new HashMap<>();
      for (JsonObject doc : docs) {
        Usage.Count[] pair = counts.computeIfAbsent(doc.getString("userId"), id -> new Usage.Count[] {Usage.Count.ZERO, Usage.Count.ZERO});
        pair[day.equals(doc.getString("period")) ? 0 : 1] = Usage.Count.fromJson(doc);
      }
      Map<String, Usage> usage = new HashMap<>();
      counts.forEach((userId, pair) -> usage.put(userId, new Usage(pair[0], pair[1])));
      return usage;
    });
  }

  @Override
  public Future<String> firstAdmin() {
    FindOptions oldestAdmin = new FindOptions().setSort(new JsonObject().put("createdAt", 1)).setLimit(1)
        .setFields(new JsonObject().put("_id", 1));
    return mongo.findWithOptions(USERS, new JsonObject().put("role", Role.ADMIN.wire()), oldestAdmin)
        .map(admins -> admins.isEmpty() ? null : admins.get(0).getString("_id"));
  }

  private static User user(JsonObject doc) {
    return new User(doc.getString("_id"), doc.getString("username"), Wire.parse(Role.class, doc.getString("role")),
        Instant.parse(doc.getString("createdAt")));
  }

  private static Credential credential(JsonObject doc) {
    String lastUsed = doc.getString("lastUsedAt");
    return new Credential(doc.getString("_id"), Credential.Kind.valueOf(doc.getString("kind")), doc.getString("userId"),
        doc.getString("tokenId"), doc.getString("name"), Instant.parse(doc.getString("createdAt")),
        lastUsed == null ? null : Instant.parse(lastUsed));
  }

  static boolean duplicateKey(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof MongoException mongoFailure && mongoFailure.getCode() == 11000) {
        return true;
      }
      if (cause.getMessage() != null && cause.getMessage().contains("E11000")) {
        return true;
      }
    }
    return false;
  }
}
