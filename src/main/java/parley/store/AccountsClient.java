package parley.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.auth.Accounts;
import parley.auth.Credential;
import parley.auth.Role;
import parley.auth.Usage;
import parley.auth.User;
import parley.bus.Addresses;
import parley.bus.BusAnswer;
import parley.bus.Failures;
import parley.chat.ErrorCode;
import parley.chat.Rejection;

/**
 * {@link Accounts} over the event bus: what the HTTP verticle and the bridge use, answered by the
 * persistence verticle with an {@link AccountStore} ({@link #endpoint}). The operation travels as
 * the {@code action} header; each one's body shape is written here, on both sides.
 */
public final class AccountsClient implements Accounts {
  private static final Logger LOG = LoggerFactory.getLogger(AccountsClient.class);
  private static final String ACTION = "action";
  private static final Rejection STORE_DOWN = new Rejection(ErrorCode.STORE_UNAVAILABLE, "the account store is unavailable, try again shortly");

  private final EventBus bus;

  public AccountsClient(EventBus bus) {
    this.bus = bus;
  }

  private <T> Future<T> call(String action, JsonObject body) {
    return bus.<T>request(Addresses.STORE_ACCOUNTS, body, new DeliveryOptions().addHeader(ACTION, action)).map(Message::body);
  }

  @Override
  public Future<Boolean> anyAccount() {
    return call("anyAccount", new JsonObject());
  }

  @Override
  public Future<User> signUp(String username, String passwordHash, boolean signupOpen) {
    return this.<JsonObject>call("signUp", new JsonObject().put("username", username).put("passwordHash", passwordHash)
        .put("signupOpen", signupOpen)).map(User::fromJson);
  }

  @Override
  public Future<User> create(String username, Role role, String passwordHash) {
    return this.<JsonObject>call("create", new JsonObject().put("username", username).put("role", role.wire())
        .put("passwordHash", passwordHash)).map(User::fromJson);
  }

  @Override
  public Future<Login> login(String username) {
    return this.<JsonObject>call("login", new JsonObject().put("username", username)).map(found -> found.isEmpty() ? null
        : new Login(User.fromJson(found.getJsonObject("user")), found.getString("passwordHash")));
  }

  @Override
  public Future<List<User>> users() {
    return this.<JsonArray>call("users", new JsonObject())
        .map(array -> array.stream().map(item -> User.fromJson((JsonObject) item)).toList());
  }

  @Override
  public Future<Boolean> deleteUser(String userId) {
    return call("deleteUser", new JsonObject().put("userId", userId));
  }

  @Override
  public Future<Void> saveCredential(Credential credential) {
    return call("saveCredential", credential.toJson()).mapEmpty();
  }

  @Override
  public Future<User> userOf(String digest, Credential.Kind kind) {
    return this.<JsonObject>call("userOf", new JsonObject().put("digest", digest).put("kind", kind.name()))
        .map(found -> found.isEmpty() ? null : User.fromJson(found));
  }

  @Override
  public Future<Void> touch(String digest) {
    return call("touch", new JsonObject().put("digest", digest)).mapEmpty();
  }

  @Override
  public Future<Void> deleteCredential(String digest) {
    return call("deleteCredential", new JsonObject().put("digest", digest)).mapEmpty();
  }

  @Override
  public Future<List<Credential>> tokens(String userId) {
    return this.<JsonArray>call("tokens", new JsonObject().put("userId", userId))
        .map(array -> array.stream().map(item -> Credential.fromJson((JsonObject) item)).toList());
  }

  @Override
  public Future<String> deleteToken(String userId, String tokenId) {
    return this.<JsonObject>call("deleteToken", new JsonObject().put("userId", userId).put("tokenId", tokenId))
        .map(found -> found.getString("digest"));
  }

  @Override
  public Future<Usage> usage(String userId) {
    return this.<JsonObject>call("usage", new JsonObject().put("userId", userId)).map(Usage::fromJson);
  }

  @Override
  public Future<Map<String, Usage>> usageOfAll() {
    return this.<JsonObject>call("usageOfAll", new JsonObject()).map(all -> {
      Map<String, Usage> usage = new HashMap<>();
      all.forEach(entry -> usage.put(entry.getKey(), Usage.fromJson((JsonObject) entry.getValue())));
      return usage;
    });
  }

  @Override
  public Future<String> firstAdmin() {
    return this.<JsonObject>call("firstAdmin", new JsonObject()).map(found -> found.getString("userId"));
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
    Map<String, Function<JsonObject, Future<?>>> ops = new HashMap<>();
    ops.put("anyAccount", body -> store.anyAccount());
    ops.put("signUp", body -> store.signUp(body.getString("username"), body.getString("passwordHash"), body.getBoolean("signupOpen"))
        .map(User::toJson));
    ops.put("create", body -> store.create(body.getString("username"), Role.ofWire(body.getString("role")), body.getString("passwordHash"))
        .map(User::toJson));
    ops.put("login", body -> store.login(body.getString("username")).map(login -> login == null ? new JsonObject()
        : new JsonObject().put("user", login.user().toJson()).put("passwordHash", login.passwordHash())));
    ops.put("users", body -> store.users().map(users -> new JsonArray(users.stream().map(User::toJson).toList())));
    ops.put("deleteUser", body -> store.deleteUser(body.getString("userId")));
    ops.put("saveCredential", body -> store.saveCredential(Credential.fromJson(body)));
    ops.put("userOf", body -> store.userOf(body.getString("digest"), Credential.Kind.valueOf(body.getString("kind"))).map(user -> user == null ? new JsonObject() : user.toJson()));
    ops.put("touch", body -> store.touch(body.getString("digest")));
    ops.put("deleteCredential", body -> store.deleteCredential(body.getString("digest")));
    ops.put("tokens", body -> store.tokens(body.getString("userId"))
        .map(tokens -> new JsonArray(tokens.stream().map(Credential::toJson).toList())));
    ops.put("deleteToken", body -> store.deleteToken(body.getString("userId"), body.getString("tokenId"))
        .map(digest -> new JsonObject().put("digest", digest)));
    ops.put("usage", body -> store.usage(body.getString("userId")).map(Usage::toJson));
    ops.put("usageOfAll", body -> store.usageOfAll().map(all -> {
      JsonObject json = new JsonObject();
      all.forEach((userId, usage) -> json.put(userId, usage.toJson()));
      return json;
    }));
    ops.put("firstAdmin", body -> store.firstAdmin().map(userId -> new JsonObject().put("userId", userId)));
    return ops;
  }
}
