package parley.http;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import parley.auth.Authenticator;
import parley.auth.Caller;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.config.Settings;

/**
 * The edge that says who a request is: in {@code none} mode the local user; otherwise the bearer
 * token ({@code Authorization: Bearer}: a personal API token, or with {@code oidc} one of the
 * provider's access tokens) or the session cookie, resolved by the
 * {@link Authenticator} (cached, so a known credential costs no store lookup). Routes after it
 * read the caller from {@link RequestCaller}.
 */
final class Authentication {
  static final String SESSION_COOKIE = "parley_session";
  /** As long as the store keeps a session (30 days): the browser forgets it then too. */
  private static final long SESSION_SECONDS = 30L * 24 * 3600;

  private final Authenticator authenticator;
  private final Settings.Access access;

  Authentication(Authenticator authenticator, Settings.Access access) {
    this.authenticator = authenticator;
    this.access = access;
  }

  /** Lets only known callers through: 401 otherwise. */
  void required(RoutingContext ctx) {
    identify(ctx).onSuccess(caller -> {
      if (caller == null) {
        ctx.fail(new Rejection(ErrorCode.UNAUTHENTICATED, "sign in first, or send Authorization: Bearer <token>"));
      } else {
        RequestCaller.set(ctx, caller);
        ctx.next();
      }
    }).onFailure(ctx::fail);
  }

  /**
   * Notes the caller of a credential when there is one, and lets everyone through (routes open to
   * all). Without accounts nobody proves who they are, so nobody is noted.
   */
  void optional(RoutingContext ctx) {
    if (!access.accounts()) {
      ctx.next();
      return;
    }
    identify(ctx).onComplete(done -> {
      if (done.succeeded() && done.result() != null) {
        RequestCaller.set(ctx, done.result());
      }
      ctx.next();
    });
  }

  private Future<Caller> identify(RoutingContext ctx) {
    if (!access.accounts()) {
      return authenticator.localCaller();
    }
    // Another scheme (a proxy's Basic sign-in in front of Parley, say) is not Parley's: the cookie decides.
    String token = Authenticator.bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token != null) {
      return authenticator.callerOf(token, Caller.Via.BEARER);
    }
    Cookie session = ctx.request().getCookie(SESSION_COOKIE);
    return session == null ? Future.succeededFuture(null) : authenticator.callerOf(session.getValue(), Caller.Via.COOKIE);
  }

  /** The session cookie, with the attributes a browser needs to keep it to this site. */
  Cookie sessionCookie(String sessionId) {
    return Cookie.cookie(SESSION_COOKIE, sessionId).setHttpOnly(true).setSameSite(CookieSameSite.LAX).setPath("/")
        .setSecure(access.https()).setMaxAge(SESSION_SECONDS);
  }

  /** Tells the browser to forget the session cookie. */
  Cookie expiredCookie() {
    return sessionCookie("").setMaxAge(0);
  }
}
