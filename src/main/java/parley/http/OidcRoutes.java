package parley.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import parley.auth.Authenticator;
import parley.auth.Secrets;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.config.Settings;

/**
 * Sign-in through the OpenID Connect provider ({@code PARLEY_AUTH=oidc}): {@code GET /auth/login}
 * sends the browser to the provider, {@code GET /auth/callback} is where it comes back, signed in
 * with the same session cookie as a local account, and is sent on to the app.
 *
 * <p>The browser carries a login secret of its own between the two ({@code parley_login}, only
 * sent to the callback): a callback that arrives in another browser than the one that began the
 * sign-in (someone else's link, meant to sign the victim into the attacker's account) finds no
 * match and signs nobody in.
 */
final class OidcRoutes {
  static final String LOGIN_COOKIE = "parley_login";
  private static final String CALLBACK = "/auth/callback";

  private final Authenticator authenticator;
  private final Authentication authentication;
  private final Settings.Access access;

  OidcRoutes(Authenticator authenticator, Authentication authentication, Settings.Access access) {
    this.authenticator = authenticator;
    this.authentication = authentication;
    this.access = access;
  }

  void mount(Router router, ErrorAnswers errors) {
    router.get("/auth/login").handler(this::login);
    router.get(CALLBACK).handler(this::callback);
    router.route("/auth/*").failureHandler(errors::handle);
  }

  private void login(RoutingContext ctx) {
    String browserSecret = Secrets.newSessionId();
    authenticator.beginProviderLogin(browserSecret).onSuccess(url -> {
      ctx.response().addCookie(loginCookie(browserSecret).setMaxAge(Authenticator.PENDING_LOGIN_MS / 1000));
      redirect(ctx, url);
    }).onFailure(ctx::fail);
  }

  private void callback(RoutingContext ctx) {
    Cookie browser = ctx.request().getCookie(LOGIN_COOKIE);
    // Whatever comes of it, this sign-in is over: its secret is forgotten by the browser too.
    ctx.response().addCookie(loginCookie("").setMaxAge(0));
    String error = ctx.request().getParam("error");
    if (error != null) {
      // The provider's own word for it (access_denied, login_required…): short, and no secret.
      String word = error.matches("^[a-z_]{1,40}$") ? error : "error";
      ctx.fail(new Rejection(ErrorCode.LOGIN_FAILED, "the provider did not sign you in (" + word + "): start again from the sign-in page"));
      return;
    }
    authenticator.finishProviderLogin(ctx.request().getParam("state"), ctx.request().getParam("code"),
            browser == null ? null : browser.getValue())
        .onSuccess(signedIn -> {
          ctx.response().addCookie(authentication.sessionCookie(signedIn.sessionId()));
          redirect(ctx, "/");
        })
        .onFailure(ctx::fail);
  }

  private Cookie loginCookie(String value) {
    return Cookie.cookie(LOGIN_COOKIE, value).setHttpOnly(true).setSameSite(CookieSameSite.LAX).setPath(CALLBACK)
        .setSecure(access.https());
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location).end();
  }
}
