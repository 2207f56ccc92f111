package parley.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.auth.Accounts;
import parley.auth.Credential;
import parley.auth.ProviderIdentity;
import parley.auth.Role;
import parley.auth.Usage;
import parley.auth.User;
import parley.bus.Addresses;
import parley.bus.BusAnswer;
import parley.bus.Failures;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.chat.Wire;

/**
 * {@link Accounts} over the event bus: what the HTTP verticle and the bridge use, answered by the
 * persistence verticle with an {@link AccountStore} ({@link #endpoint}). The operation travels as
 * the {@code action} header; each one's body shape is written here, on both sides.
 */
public final class AccountsClient implements Accounts {
  private static final Logger LOG = LoggerFactory.getLogger(AccountsClient.class);
  private static final String ACTION = "action";
  private static final Rejection STORE_DOWN = new Rejection(ErrorCode.STORE_UNAVAILABLE, "the account store is unavailable, try again shortly");

  /** Every operation, named once for both sides: it travels as the {@code action} header. */
  enum Action {
    ANY_ACCOUNT,
    CREATE,
    DELETE_CREDENTIAL,
    DELETE_TOKEN,
    DELETE_USER,
    FIRST_ADMIN,
    LINKED,
    LOGIN,
    SAVE_CREDENTIAL,
    SIGN_UP,
    TOKENS,
    TOUCH,
    USAGE,
    USAGE_OF_ALL,
    USER_OF,
    USERS
  }

  private final EventBus bus;

  public AccountsClient(EventBus bus) {
    this.bus = bus;
  }

  private <T> Future<T> call(Action action, JsonObject body) {
    return bus.<T>request(Addresses.STORE_ACCOUNTS, body, new DeliveryOptions().addHeader(ACTION, action.name())).map(Message::body);
  }

  @Override
  public Future<Boolean> anyAccount() {
    return call(Action.ANY_ACCOUNT, new JsonObject());
  }

  @Override
  public Future<User> signUp(String username, String passwordHash, boolean signupOpen) {
    return this.<JsonObject>call(Action.SIGN_UP, new JsonObject().put("username", username).put("passwordHash", passwordHash)
        .put("signupOpen", signupOpen)).map(User::fromJson);
  }

  @Override
  public Future<User> create(String username, Role role, String passwordHash) {
    return this.<JsonObject>call(Action.CREATE, new JsonObject().put("username", username).put("role", role.wire())
        .put("passwordHash", passwordHash)).map(User::fromJson);
  }

  @Override
  public Future<User> linked(ProviderIdentity identity) {
    return this.<JsonObject>call(Action.LINKED, identity.toJson()).map(User::fromJson);
  }

  @Override
  public Future<Login> login(String username) {
    return this.<JsonObject>call(Action.LOGIN, new JsonObject().put("username", username)).map(found -> found.isEmpty() ? null
        : new Login(User.fromJson(found.getJsonObject("user")), found.getString("passwordHash")));
  }

  @Override
  public Future<List<User>> users() {
    return this.<JsonArray>call(Action.USERS, new JsonObject())
        .map(array -> array.stream().map(item -> User.fromJson((JsonObject) item)).toList());
  }

  @Override
  public Future<Boolean> deleteUser(String userId) {
    return call(Action.DELETE_USER, new JsonObject().put("userId", userId));
  }

  @Override
  public Future<Void> saveCredential(Credential credential) {
    return call(Action.SAVE_CREDENTIAL, credential.toJson()).mapEmpty();
  }

  @Override
  public Future<User> userOf(String digest, Credential.Kind kind) {
    return this.<JsonObject>call(Action.USER_OF, new JsonObject().put("digest", digest).put("kind", kind.name()))
        .map(found -> found.isEmpty() ? null : User.fromJson(found));
  }

  @Override
  public Future<Void> touch(String digest) {
    return call(Action.TOUCH, new JsonObject().put("digest", digest)).mapEmpty();
  }

  @Override
  public Future<Void> deleteCredential(String digest) {
    return call(Action.DELETE_CREDENTIAL, new JsonObject().put("digest", digest)).mapEmpty();
  }

  @Override
  public Future<List<Credential>> tokens(String userId) {
    return this.<JsonArray>call(Action.TOKENS, new JsonObject().put("userId", userId))
        .map(array -> array.stream().map(item -> Credential.fromJson((JsonObject) item)).toList());
  }

  @Override
  public Future<String> deleteToken(String userId, String tokenId) {
    return this.<JsonObject>call(Action.DELETE_TOKEN, new JsonObject().put("userId", userId).put("tokenId", tokenId))
        .map(found -> found.getString("digest"));
  }

  @Override
  public Future<Usage> usage(String userId) {
    return this.<JsonObject>call(Action.USAGE, new JsonObject().put("userId", userId)).map(Usage::fromJson);
  }

  @Override
  public Future<Map<String, Usage>> usageOfAll() {
    return this.<JsonObject>call(Action.USAGE_OF_ALL, new JsonObject()).map(all -> {
      Map<String, Usage> usage = new HashMap<>();
      all.forEach(entry -> usage.put(entry.getKey(), Usage.fromJson((JsonObject) entry.getValue())));
      return usage;
    });
  }

  @Override
  public Future<String> firstAdmin() {
    return this.<JsonObject>call(Action.FIRST_ADMIN, new JsonObject()).map(found -> found.getString("userId"));
  }

  /** The persistence verticle's side: answers every action with the store. */
  static Handler<Message<JsonObject>> endpoint(AccountStore store) {
    Map<String, Function<JsonObject, Future<?>>> operations = operations(store);
    return request -> {
      Function<JsonObject, Future<?>> operation = operations.get(request.headers().get(ACTION));
      if (operation == null) {
        Failures.fail(request, Rejection.badRequest("unknown accounts action"));
        return;
      }
      BusAnswer.with(request, operation::apply, LOG, STORE_DOWN);
    };
  }

  private static Map<String, Function<JsonObject, Future<?>>> operations(AccountStore store) {
    Map<Action, Function<JsonObject, Future<?>>> ops = new EnumMap<>(Action.class);
    ops.put(Action.ANY_ACCOUNT, body -> store.anyAccount());
    ops.put(Action.SIGN_UP, body -> store.signUp(body.getString("username"), body.getString("passwordHash"), body.getBoolean("signupOpen"))
        .map(User::toJson));
    ops.put(Action.CREATE, body -> store.create(body.getString("username"), Wire.parse(Role.class, body.getString("role")), body.getString("passwordHash"))
        .map(User::toJson));
    ops.put(Action.LINKED, body -> store.linked(ProviderIdentity.fromJson(body)).map(User::toJson));
    ops.put(Action.LOGIN, body -> store.login(body.getString("username")).map(login -> login == null ? new JsonObject()
        : new JsonObject().put("user", login.user().toJson()).put("passwordHash", login.passwordHash())));
    ops.put(Action.USERS, body -> store.users().map(users -> new JsonArray(users.stream().map(User::toJson).toList())));
    ops.put(Action.DELETE_USER, body -> store.deleteUser(body.getString("userId")));
    ops.put(Action.SAVE_CREDENTIAL, body -> store.saveCredential(Credential.fromJson(body)));
    ops.put(Action.USER_OF, body -> store.userOf(body.getString("digest"), Credential.Kind.valueOf(body.getString("kind"))).map(user -> user == null ? new JsonObject() : user.toJson()));
    ops.put(Action.TOUCH, body -> store.touch(body.getString("digest")));
    ops.put(Action.DELETE_CREDENTIAL, body -> store.deleteCredential(body.getString("digest")));
    ops.put(Action.TOKENS, body -> store.tokens(body.getString("userId"))
        .map(tokens -> new JsonArray(tokens.stream().map(Credential::toJson).toList())));
    ops.put(Action.DELETE_TOKEN, body -> store.deleteToken(body.getString("userId"), body.getString("tokenId"))
        .map(digest -> new JsonObject().put("digest", digest)));
    ops.put(Action.USAGE, body -> store.usage(body.getString("userId")).map(Usage::toJson));
    ops.put(Action.USAGE_OF_ALL, body -> store.usageOfAll().map(all -> {
      JsonObject json = new JsonObject();
      all.forEach((userId, usage) -> json.put(userId, usage.toJson()));
      return json;
    }));
    ops.put(Action.FIRST_ADMIN, body -> store.firstAdmin().map(userId -> new JsonObject().put("userId", userId)));
    Map<String, Function<JsonObject, Future<?>>> byName = new HashMap<>();
    ops.forEach((action, operation) -> byName.put(action.name(), operation));
    return byName;
  }
}
