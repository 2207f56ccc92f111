package parley.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import parley.auth.Accounts;
import parley.auth.Authenticator;
import parley.auth.Caller;
import parley.auth.Credential;
import parley.auth.NewAccount;
import parley.auth.Role;
import parley.auth.Usage;
import parley.auth.User;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.config.Settings;

/**
 * Accounts over HTTP: sign-up, sign-in, sign-out, who am I, personal API tokens, and the admins'
 * user management. Admins manage accounts and see usage; they never read others' chats.
 */
final class AccountRoutes {
  private static final int MAX_TOKEN_NAME = 64;

  private final Authenticator authenticator;
  private final Accounts accounts;
  private final Authentication authentication;
  private final Settings.Access access;

  AccountRoutes(Authenticator authenticator, Accounts accounts, Authentication authentication, Settings.Access access) {
    this.authenticator = authenticator;
    this.accounts = accounts;
    this.authentication = authentication;
    this.access = access;
  }

  /** Open to all: how people sign in here. */
  void mountOpen(Router router) {
    router.get("/api/auth/config").handler(this::config);
    router.post("/api/auth/signup").consumes("application/json").handler(this::signUp);
    router.post("/api/auth/login").consumes("application/json").handler(this::logIn);
    router.post("/api/auth/logout").handler(this::logOut);
  }

  /** For a known caller (the authentication handler runs before these). */
  void mountSignedIn(Router router) {
    router.get("/api/me").handler(this::me);
    router.post("/api/tokens").consumes("application/json").handler(this::createToken);
    router.get("/api/tokens").handler(this::tokens);
    router.delete("/api/tokens/:id").handler(this::revokeToken);
    router.get("/api/users").handler(admin(this::users));
    router.post("/api/users").consumes("application/json").handler(admin(this::createUser));
    router.delete("/api/users/:id").handler(admin(this::deleteUser));
  }

  private void config(RoutingContext ctx) {
    // With a provider nobody sets anything up here: the first to sign in is the admin (or the admin group's members are).
    boolean provider = access.mode() == Settings.AuthMode.OIDC;
    accounts.anyAccount().onSuccess(any -> ctx.json(new JsonObject()
        .put("mode", access.mode().name().toLowerCase(Locale.ROOT))
        .put("signup", access.signupOpen() && !provider ? "open" : "closed")
        .put("needsSetup", !any && !provider))).onFailure(ctx::fail);
  }

  private void signUp(RoutingContext ctx) {
    requirePasswords();
    NewAccount account = NewAccount.fromJson(Bodies.object(ctx), Role.USER, false);
    authenticator.signUp(account, access.signupOpen()).onSuccess(signedIn -> {
      ctx.response().addCookie(authentication.sessionCookie(signedIn.sessionId()));
      ctx.response().setStatusCode(201);
      ctx.json(new JsonObject().put("user", signedIn.user().toJson()));
    }).onFailure(ctx::fail);
  }

  private void logIn(RoutingContext ctx) {
    requirePasswords();
    JsonObject body = Bodies.object(ctx);
    String username = Bodies.string(body, "username", NewAccount.MAX_PASSWORD);
    // In UTF-16 units, of which each of the password's characters takes at most two.
    String password = Bodies.string(body, "password", 2 * NewAccount.MAX_PASSWORD);
    authenticator.logIn(username, password).onSuccess(signedIn -> {
      ctx.response().addCookie(authentication.sessionCookie(signedIn.sessionId()));
      ctx.json(new JsonObject().put("user", signedIn.user().toJson()));
    }).onFailure(ctx::fail);
  }

  private void logOut(RoutingContext ctx) {
    Cookie session = ctx.request().getCookie(Authentication.SESSION_COOKIE);
    Future<Void> ended = session == null || session.getValue().isEmpty()
        ? Future.succeededFuture()
        : authenticator.logOut(session.getValue());
    ended.onSuccess(v -> {
      ctx.response().addCookie(authentication.expiredCookie());
      // The provider's session would sign the person straight back in: the app goes there to end it too.
      String endSessionUrl = authenticator.endSessionUrl();
      if (endSessionUrl == null) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.json(new JsonObject().put("endSessionUrl", endSessionUrl));
      }
    }).onFailure(ctx::fail);
  }

  private void me(RoutingContext ctx) {
    Caller caller = RequestCaller.get(ctx);
    accounts.usage(caller.userId())
        .onSuccess(usage -> ctx.json(new JsonObject().put("user", caller.toJson()).put("usage", usage.toJson())))
        .onFailure(ctx::fail);
  }

  private void createToken(RoutingContext ctx) {
    String name = Bodies.string(Bodies.object(ctx), "name", MAX_TOKEN_NAME).strip();
    if (name.isEmpty()) {
      throw Rejection.badRequest("name must not be blank");
    }
    authenticator.createToken(RequestCaller.get(ctx).userId(), name).onSuccess(token -> {
      ctx.response().setStatusCode(201);
      ctx.json(token);
    }).onFailure(ctx::fail);
  }

  private void tokens(RoutingContext ctx) {
    authenticator.tokens(RequestCaller.get(ctx).userId())
        .onSuccess(tokens -> ctx.json(new JsonArray(tokens.stream().map(Credential::toTokenJson).toList())))
        .onFailure(ctx::fail);
  }

  private void revokeToken(RoutingContext ctx) {
    authenticator.revokeToken(RequestCaller.get(ctx).userId(), ctx.pathParam("id")).onSuccess(revoked -> {
      if (!revoked) {
        ctx.fail(new Rejection(ErrorCode.NOT_FOUND, "you have no token with that id"));
      } else {
        ctx.response().setStatusCode(204).end();
      }
    }).onFailure(ctx::fail);
  }

  private void users(RoutingContext ctx) {
    Future.all(accounts.users(), accounts.usageOfAll()).onSuccess(both -> {
      Map<String, Usage> usage = both.resultAt(1);
      JsonArray users = new JsonArray();
      both.<List<User>>resultAt(0).forEach(user ->
          users.add(user.toJson().put("usage", usage.getOrDefault(user.id(), Usage.NONE).toJson())));
      ctx.json(users);
    }).onFailure(ctx::fail);
  }

  private void createUser(RoutingContext ctx) {
    requirePasswords();
    NewAccount account = NewAccount.fromJson(Bodies.object(ctx), Role.USER, true);
    authenticator.createUser(account).onSuccess(user -> {
      ctx.response().setStatusCode(201);
      ctx.json(new JsonObject().put("user", user.toJson()));
    }).onFailure(ctx::fail);
  }

  private void deleteUser(RoutingContext ctx) {
    String userId = ctx.pathParam("id");
    if (userId.equals(RequestCaller.get(ctx).userId())) {
      throw Rejection.badRequest("you cannot delete your own account");
    }
    authenticator.deleteUser(userId).onSuccess(deleted -> {
      if (!deleted) {
        ctx.fail(new Rejection(ErrorCode.NOT_FOUND, "there is no account with that id"));
      } else {
        ctx.response().setStatusCode(204).end();
      }
    }).onFailure(ctx::fail);
  }

  /** Accounts with passwords are those of {@code PARLEY_AUTH=local}. */
  private void requirePasswords() {
    if (!access.accounts()) {
      throw new Rejection(ErrorCode.FORBIDDEN, "this server runs without accounts (PARLEY_AUTH=none)");
    }
    if (access.mode() == Settings.AuthMode.OIDC) {
      throw new Rejection(ErrorCode.FORBIDDEN, "this server signs people in through its OpenID Connect provider: GET /auth/login");
    }
  }

  private static Handler<RoutingContext> admin(Handler<RoutingContext> route) {
    return ctx -> {
      if (!RequestCaller.get(ctx).admin()) {
        throw new Rejection(ErrorCode.FORBIDDEN, "only admins manage accounts");
      }
      route.handle(ctx);
    };
  }
}
