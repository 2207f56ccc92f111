package parley.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import parley.bus.Addresses;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.cluster.SlidingWindow;

/**
 * Turns credentials into callers, and makes and ends them: sign-up, sign-in, sign-out, API
 * tokens, accounts deleted by an admin. A known credential costs one store lookup, then it is
 * cached here for a while. A revocation is told to every authenticator of the cluster, and
 * answered only once each has dropped it, so a revoked token or a deleted account stops working
 * everywhere before the person who revoked it hears so.
 *
 * <p>Confined to the event loop of the verticle that made it (its cache is not shared).
 */
public final class Authenticator {
  /**
   * Where each authenticator of the cluster hears of revocations: {@code {digest}} for one
   * credential, {@code {userId}} for all of an account's. Each has an address of its own under this
   * prefix, listed in a shared map, so a revocation can wait for every one of them.
   */
  public static final String REVOKED = "parley.auth.revoked";
  private static final String LISTENERS = "parley.auth.revocation-listeners";
  private static final long REVOCATION_TIMEOUT_MS = 5_000;
  private static final String BEARER = "Bearer ";
  private static final long CACHE_MS = 60_000;
  private static final int CACHE_MAX = 10_000;
  private static final int LOGIN_FAILURES = 5;
  private static final long LOGIN_WINDOW_MS = 15 * 60_000;
  /** Sign-ins on their way through the provider, by the digest of their state, for any node to finish. */
  private static final String PENDING_LOGINS = "parley.auth.pending-logins";
  /** How long a person may take at the provider's sign-in page. */
  public static final long PENDING_LOGIN_MS = 10 * 60_000;

  private record Cached(Caller caller, long until) {}

  private final Vertx vertx;
  private final Accounts accounts;
  private final Clock clock;
  private final SlidingWindow loginFailures;
  private final Map<String, Cached> cache = new HashMap<>();
  private final LocalUser localUser;
  private final OidcProvider provider;
  private MessageConsumer<JsonObject> revocations;

  public Authenticator(Vertx vertx, Accounts accounts, Clock clock) {
    this(vertx, accounts, clock, null);
  }

  /** @param provider the OpenID Connect provider of {@code PARLEY_AUTH=oidc}; null in the other modes */
  public Authenticator(Vertx vertx, Accounts accounts, Clock clock, OidcProvider provider) {
    this.vertx = vertx;
    this.accounts = accounts;
    this.clock = clock;
    this.provider = provider;
    this.localUser = new LocalUser(accounts, false);
    this.loginFailures = new SlidingWindow(vertx, "parley.auth.login-failures", LOGIN_FAILURES, LOGIN_WINDOW_MS, clock::millis);
  }

  /** Starts listening for revocations from every node, and discovers the provider (first try). */
  public Future<Void> start() {
    String address = REVOKED + "." + UUID.randomUUID();
    revocations = vertx.eventBus().consumer(address, message -> {
      forget(message.body());
      message.reply(null);
    });
    return revocations.completion().compose(v -> listeners()).compose(map -> map.put(address, ""))
        .compose(v -> provider == null ? Future.succeededFuture() : provider.start());
  }

  public Future<Void> stop() {
    if (provider != null) {
      provider.stop();
    }
    if (revocations == null) {
      return Future.succeededFuture();
    }
    String address = revocations.address();
    return revocations.unregister().compose(v -> listeners()).compose(map -> map.remove(address)).mapEmpty();
  }

  /**
   * The caller of a session cookie or bearer token, or null when it signs nobody in. With a
   * provider, a bearer token that is not a personal API token is taken for one of the provider's
   * access tokens: its account is made on first use, and it is cached no longer than it is valid.
   */
  public Future<Caller> callerOf(String secret, Caller.Via via) {
    String digest = Secrets.digest(secret);
    Cached cached = cache.get(digest);
    long now = clock.millis();
    if (cached != null && cached.until() > now && cached.caller().via() == via) {
      return Future.succeededFuture(cached.caller());
    }
    if (provider != null && via == Caller.Via.BEARER && !secret.startsWith(Secrets.TOKEN_PREFIX)) {
      return provider.verifyAccessToken(secret).compose(verified -> verified == null
          ? Future.succeededFuture(null)
          : accounts.linked(verified.identity()).map(user -> {
            Caller caller = user.as(via);
            remember(digest, caller, Math.min(now + CACHE_MS, verified.expiresAt() * 1000));
            return caller;
          }));
    }
    Credential.Kind kind = via == Caller.Via.BEARER ? Credential.Kind.TOKEN : Credential.Kind.SESSION;
    return accounts.userOf(digest, kind).compose(user -> {
      if (user == null) {
        cache.remove(digest);
        return Future.succeededFuture(null);
      }
      Caller caller = user.as(via);
      remember(digest, caller, now + CACHE_MS);
      Future<Void> touched = via == Caller.Via.BEARER ? accounts.touch(digest) : Future.succeededFuture();
      return touched.otherwiseEmpty().map(caller);
    });
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} header (the scheme in any case), or null
   * for no header, another scheme or no token: the one reading of that header, for HTTP, the
   * bridge and the CSRF check alike.
   */
  public static String bearerToken(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = authorization.substring(BEARER.length()).trim();
    return token.isEmpty() ? null : token;
  }

  /** The one local user of {@code PARLEY_AUTH=none}, with every right. */
  public Future<Caller> localCaller() {
    return localUser.id().map(id -> new Caller(id, LocalUser.ID, Role.ADMIN, Caller.Via.LOCAL));
  }

  /** A new account by sign-up, signed in: the session id to set as a cookie, and the account. */
  public Future<SignedIn> signUp(NewAccount account, boolean signupOpen) {
    return hashed(account.password())
        .compose(hash -> accounts.signUp(account.username(), hash, signupOpen))
        .compose(this::startSession);
  }

  /**
   * Checks the password (after too many failures for the name, refuses for a while). Each try
   * takes its place among the name's failures before the password is checked, so that tries sent
   * all at once are held to the limit too; a right password, or a failure to check it, gives the
   * place back.
   */
  public Future<SignedIn> logIn(String username, String password) {
    String name = NewAccount.normalize(username);
    return loginFailures.tryRecord(name).compose(verdict -> {
      if (!verdict.admitted()) {
        return Future.failedFuture(new Rejection(ErrorCode.RATE_LIMITED,
            "too many failed sign-ins for this name: try again later", verdict.waitSeconds()));
      }
      Future<User> checked = accounts.login(name).compose(login -> vertx
          .executeBlocking(() -> Passwords.matches(password, login == null ? null : login.passwordHash()), false)
          .compose(matches -> matches
              ? Future.succeededFuture(login.user())
              : Future.failedFuture(new Rejection(ErrorCode.INVALID_CREDENTIALS, "wrong username or password"))));
      return checked.transform(done -> {
        boolean wrong = done.failed() && done.cause() instanceof Rejection refused && refused.code() == ErrorCode.INVALID_CREDENTIALS;
        Future<Void> counted = wrong ? Future.succeededFuture() : loginFailures.forget(name, verdict.recordedAt()).otherwiseEmpty();
        return counted.compose(v -> done.succeeded() ? startSession(done.result()) : Future.failedFuture(done.cause()));
      });
    });
  }

  /** Ends the session on every node. */
  public Future<Void> logOut(String sessionId) {
    String digest = Secrets.digest(sessionId);
    return accounts.deleteCredential(digest).compose(v -> revoke(new JsonObject().put("digest", digest)));
  }

  /** An admin makes an account. */
  public Future<User> createUser(NewAccount account) {
    return hashed(account.password()).compose(hash -> accounts.create(account.username(), account.role(), hash));
  }

  /**
   * An admin deletes an account: its sessions and tokens stop working at once, everywhere, and
   * its replies still running stop (its chats are gone).
   */
  public Future<Boolean> deleteUser(String userId) {
    return accounts.deleteUser(userId).compose(deleted -> revoke(new JsonObject().put("userId", userId)).map(v -> {
      if (deleted) {
        vertx.eventBus().publish(Addresses.ACCOUNT_DELETED, new JsonObject().put("userId", userId));
      }
      return deleted;
    }));
  }

  /** A new API token: the secret is in this answer only. */
  public Future<JsonObject> createToken(String userId, String name) {
    String secret = Secrets.newToken();
    Credential token = Credential.token(Secrets.digest(secret), userId, name, clock.instant());
    return accounts.saveCredential(token).map(v -> token.toTokenJson().put("token", secret));
  }

  public Future<List<Credential>> tokens(String userId) {
    return accounts.tokens(userId);
  }

  /** Revokes the token on every node; false when the user has no such token. */
  public Future<Boolean> revokeToken(String userId, String tokenId) {
    return accounts.deleteToken(userId, tokenId).compose(digest -> digest == null
        ? Future.succeededFuture(false)
        : revoke(new JsonObject().put("digest", digest)).map(true));
  }

  private void remember(String digest, Caller caller, long until) {
    if (cache.size() >= CACHE_MAX) {
      cache.clear();
    }
    cache.put(digest, new Cached(caller, until));
  }

  /**
   * Begins a sign-in through the provider: where to send the browser. What the way back needs
   * (nonce, PKCE verifier, and the digest of the browser's own login secret, so that nobody can
   * finish a sign-in in someone else's browser) waits in a cluster-wide map under the state, for
   * whichever node the browser comes back to.
   */
  public Future<String> beginProviderLogin(String browserSecret) {
    OidcProvider oidc = oidc();
    String state = Secrets.newSessionId();
    OidcProvider.Pending pending = OidcProvider.Pending.fresh();
    JsonObject kept = pending.toJson().put("browser", Secrets.digest(browserSecret));
    return oidc.authorizeUrl(state, pending).compose(url -> pendingLogins()
        .compose(map -> map.put(Secrets.digest(state), kept, PENDING_LOGIN_MS))
        .map(url));
  }

  /**
   * Finishes a sign-in on the provider's way back: the state must be one this cluster began, in
   * this browser, not used before and not expired; the code must be one the provider accepts.
   * Anything else is {@code login_failed}, and nobody is signed in.
   */
  public Future<SignedIn> finishProviderLogin(String state, String code, String browserSecret) {
    OidcProvider oidc = oidc();
    if (state == null || code == null || browserSecret == null) {
      return Future.failedFuture(new Rejection(ErrorCode.LOGIN_FAILED, "this sign-in was not started here: start again from the sign-in page"));
    }
    return pendingLogins().compose(map -> map.remove(Secrets.digest(state))).compose(kept -> {
      if (kept == null || !Secrets.digest(browserSecret).equals(kept.getString("browser"))) {
        return Future.failedFuture(new Rejection(ErrorCode.LOGIN_FAILED,
            "this sign-in was not started in this browser, or has expired: start again from the sign-in page"));
      }
      return oidc.signIn(code, OidcProvider.Pending.fromJson(kept));
    }).compose(accounts::linked).compose(this::startSession);
  }

  /** The provider's end-session URL, when it has one; null otherwise (and without a provider). */
  public String endSessionUrl() {
    return provider == null ? null : provider.endSessionUrl();
  }

  private OidcProvider oidc() {
    if (provider == null) {
      throw new Rejection(ErrorCode.FORBIDDEN, "this server does not sign in through an OpenID Connect provider");
    }
    return provider;
  }

  private Future<AsyncMap<String, JsonObject>> pendingLogins() {
    return vertx.sharedData().getAsyncMap(PENDING_LOGINS);
  }

  /** A session just begun: its secret (for the cookie) and its account. */
  public record SignedIn(String sessionId, User user) {}

  private Future<SignedIn> startSession(User user) {
    String sessionId = Secrets.newSessionId();
    return accounts.saveCredential(Credential.session(Secrets.digest(sessionId), user.id(), clock.instant()))
        .map(v -> new SignedIn(sessionId, user));
  }

  private Future<String> hashed(String password) {
    return vertx.executeBlocking(() -> Passwords.hash(password), false);
  }

  /**
   * Tells every authenticator of the cluster, and completes once each has answered. One that does
   * not (its node is gone) is forgotten: nothing is cached there any more.
   */
  private Future<Void> revoke(JsonObject revocation) {
    forget(revocation);
    return listeners().compose(map -> map.keys().compose(addresses -> {
      List<Future<Void>> told = new ArrayList<>();
      DeliveryOptions timeout = new DeliveryOptions().setSendTimeout(REVOCATION_TIMEOUT_MS);
      for (String address : addresses) {
        if (revocations != null && address.equals(revocations.address())) {
          continue;
        }
        told.add(vertx.eventBus().request(address, revocation, timeout).<Void>mapEmpty()
            .recover(gone -> map.remove(address).mapEmpty()));
      }
      return Future.join(told).mapEmpty();
    }));
  }

  private Future<AsyncMap<String, String>> listeners() {
    return vertx.sharedData().getAsyncMap(LISTENERS);
  }

  private void forget(JsonObject revocation) {
    String digest = revocation.getString("digest");
    String userId = revocation.getString("userId");
    if (digest != null) {
      cache.remove(digest);
    }
    if (userId != null) {
      cache.values().removeIf(cached -> cached.caller().userId().equals(userId));
    }
  }
}
