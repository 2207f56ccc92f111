package parley.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.config.Settings;

/**
 * The OpenID Connect provider of {@code PARLEY_AUTH=oidc}, through vertx-auth-oauth2: discovery
 * (retried with backoff while the provider cannot be reached), the authorization code flow with
 * PKCE, and the provider's access tokens checked against its keys (JWKS, fetched again when a
 * token names a key it does not know: the provider rotated them).
 *
 * <p>What the library leaves open is checked here: the ID token's {@code nonce}, and that a token
 * carries {@code iss}, {@code aud} (with this client id), {@code exp} and {@code sub} at all (the
 * library checks them only when present). Tokens are never sent to the provider to be checked
 * (no introspection): a forged one costs it nothing.
 */
public final class OidcProvider {
  private static final Logger LOG = LoggerFactory.getLogger(OidcProvider.class);
  private static final long FIRST_RETRY_MS = 1_000;
  private static final long LAST_RETRY_MS = 60_000;
  /** A token naming an unknown key fetches the keys again, at most this often. */
  private static final long KEY_REFRESH_MS = 10_000;
  private static final List<String> SCOPES = List.of("openid", "profile", "email");
  /** A provider that does not answer must not hold a node's start, nor a sign-in, for long. */
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int IDLE_TIMEOUT_SECONDS = 10;

  /** What one sign-in keeps between the redirect to the provider and its way back. */
  public record Pending(String nonce, String codeVerifier) {
    public static Pending fresh() {
      return new Pending(Secrets.newSessionId(), Secrets.newSessionId());
    }

    /** PKCE S256: the challenge is the verifier's SHA-256, base64url without padding. */
    String codeChallenge() {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java has SHA-256", e);
      }
    }

    public JsonObject toJson() {
      return new JsonObject().put("nonce", nonce).put("codeVerifier", codeVerifier);
    }

    public static Pending fromJson(JsonObject json) {
      return new Pending(json.getString("nonce"), json.getString("codeVerifier"));
    }
  }

  /** An identity the provider vouched for, and until when (epoch seconds) that holds. */
  public record Verified(ProviderIdentity identity, long expiresAt) {}

  private final Vertx vertx;
  private final Settings.Oidc settings;
  private final String redirectUri;
  private final String afterLogoutUri;
  private final Clock clock;
  private OAuth2Auth auth;
  private String issuer;
  private String endSessionEndpoint;
  private long lastKeyRefresh;
  private long retryTimer = -1;
  private boolean stopped;

  /** The provider of these settings, or null when they do not sign in through one. */
  public static OidcProvider of(Vertx vertx, Settings.Access access, Clock clock) {
    return access.mode() == Settings.AuthMode.OIDC ? new OidcProvider(vertx, access, clock) : null;
  }

  private OidcProvider(Vertx vertx, Settings.Access access, Clock clock) {
    this.vertx = vertx;
    this.settings = access.oidc();
    this.redirectUri = access.publicUrl() + "/auth/callback";
    this.afterLogoutUri = access.publicUrl() + "/";
    this.clock = clock;
  }

  /**
   * Discovers the provider; completes after the first try either way, so a node whose provider
   * answers is ready when it says it is up, and one whose provider does not starts anyway, says so
   * once, and keeps trying (sign-in meanwhile answers {@code 503 auth_unavailable}).
   */
  public Future<Void> start() {
    Promise<Void> firstTry = Promise.promise();
    discover(FIRST_RETRY_MS, firstTry);
    return firstTry.future();
  }

  public void stop() {
    stopped = true;
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
    }
  }

  private void discover(long nextDelay, Promise<Void> firstTry) {
    OAuth2Options options = new OAuth2Options()
        .setSite(settings.issuer())
        .setClientId(settings.clientId())
        .setClientSecret(settings.clientSecret().isEmpty() ? null : settings.clientSecret())
        .setValidateIssuer(true)
        .setHttpClientOptions(new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setIdleTimeout(IDLE_TIMEOUT_SECONDS));
    OpenIDConnectAuth.discover(vertx, options)
        .compose(discovered -> {
          // The discovered provider is left unused: it would introspect (ask the provider about) a token whose signature
          // fails. This copy of its settings checks tokens against the keys alone, so a forged one is refused on the spot.
          OAuth2Auth strict = OAuth2Auth.create(vertx, new OAuth2Options(options).setIntrospectionPath(null).setUserInfoPath(null));
          return strict.jWKSet().map(strict);
        })
        .onSuccess(strict -> {
          if (stopped) {
            return;
          }
          auth = strict;
          issuer = options.getJWTOptions().getIssuer();
          endSessionEndpoint = options.getLogoutPath();
          LOG.info("OpenID Connect provider {} discovered: sign-in is open (redirect URI {})", issuer, redirectUri);
          firstTry.tryComplete();
        })
        .onFailure(failure -> {
          if (stopped) {
            return;
          }
          if (!firstTry.future().isComplete()) {
            LOG.warn("OpenID Connect provider {} cannot be reached ({}): sign-in and the provider's tokens answer 503 "
                + "auth_unavailable until it can; trying again with backoff up to every {} s", settings.issuer(), failure.getMessage(),
                LAST_RETRY_MS / 1000);
          } else {
            LOG.debug("OpenID Connect provider {} still unreachable: {}", settings.issuer(), failure.getMessage());
          }
          firstTry.tryComplete();
          retryTimer = vertx.setTimer(nextDelay, id -> {
            retryTimer = -1;
            discover(Math.min(nextDelay * 2, LAST_RETRY_MS), firstTry);
          });
        });
  }

  /** Where to send the browser to sign in. */
  public Future<String> authorizeUrl(String state, Pending pending) {
    return provider().map(provider -> provider.authorizeURL(new OAuth2AuthorizationURL()
        .setRedirectUri(redirectUri)
        .setScopes(SCOPES)
        .setState(state)
        .setCodeChallenge(pending.codeChallenge())
        .setCodeChallengeMethod("S256")
        .putAdditionalParameter("nonce", pending.nonce())));
  }

  /**
   * Trades the code of a sign-in for its ID token (the code verifier proves it is the same
   * sign-in), and checks the token: a code the provider refuses, or a token that fails a check,
   * is {@code login_failed}.
   */
  public Future<ProviderIdentity> signIn(String code, Pending pending) {
    return provider().compose(provider -> provider.authenticate(new Oauth2Credentials()
            .setFlow(OAuth2FlowType.AUTH_CODE)
            .setCode(code)
            .setRedirectUri(redirectUri)
            .setCodeVerifier(pending.codeVerifier()))
        .recover(refused -> Future.failedFuture(loginFailed("the provider did not accept the sign-in")))
        .compose(user -> {
          JsonObject idToken = user.attributes().getJsonObject("idToken");
          if (user.attributes().containsKey("missing-kid")) {
            // Signed with a key rotated in since: the next sign-in will know it.
            refreshKeys();
          }
          if (idToken == null || !pending.nonce().equals(idToken.getString("nonce"))) {
            return Future.failedFuture(loginFailed("the provider's ID token did not pass its checks"));
          }
          return claims(idToken).map(Verified::identity)
              .map(Future::succeededFuture)
              .orElseGet(() -> Future.failedFuture(loginFailed("the provider's ID token did not pass its checks")));
        }));
  }

  /**
   * A provider access token (a JWT) as the identity it vouches for: signature against the
   * provider's keys, issuer, expiry, and an audience that names this client. Null when it does not
   * pass. A key the provider rotated in is fetched once, then the token is checked again.
   */
  public Future<Verified> verifyAccessToken(String jwt) {
    return provider().compose(provider -> checked(provider, jwt).recover(failure -> failure instanceof NoSuchKeyIdException
        ? refreshKeys().compose(refreshed -> refreshed ? checked(provider, jwt) : Future.succeededFuture()).otherwiseEmpty()
        : Future.succeededFuture()));
  }

  private Future<Verified> checked(OAuth2Auth provider, String jwt) {
    return provider.authenticate(new TokenCredentials(jwt)).map(user -> {
      JsonObject accessToken = user.attributes().getJsonObject("accessToken");
      return accessToken == null ? null : claims(accessToken).orElse(null);
    });
  }

  /** The identity of verified claims, when they name this issuer, this client, a subject, and a time not yet past. */
  private Optional<Verified> claims(JsonObject token) {
    Object aud = token.getValue("aud");
    boolean forUs = aud instanceof String one ? one.equals(settings.clientId())
        : aud instanceof JsonArray many && many.contains(settings.clientId());
    Long exp = token.getValue("exp") instanceof Number number ? number.longValue() : null;
    String sub = token.getString("sub");
    if (!forUs || !issuer.equals(token.getString("iss")) || exp == null || exp * 1000 <= clock.millis() || sub == null || sub.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Verified(new ProviderIdentity(issuer, sub, token.getString("preferred_username"), role(token)), exp));
  }

  /** Admin by the admin group, when one is set: its name or its full path ({@code /admins}) in {@code groups}. */
  private Role role(JsonObject token) {
    if (settings.adminGroup().isEmpty()) {
      return null;
    }
    Object groups = token.getValue("groups");
    String group = settings.adminGroup();
    boolean member = groups instanceof JsonArray list && (list.contains(group) || list.contains("/" + group));
    return member ? Role.ADMIN : Role.USER;
  }

  /**
   * The provider's end-session URL that brings the person back to Parley, or null when it has
   * none (or is not reached yet).
   */
  public String endSessionUrl() {
    if (auth == null || endSessionEndpoint == null) {
      return null;
    }
    return auth.endSessionURL(io.vertx.ext.auth.User.create(new JsonObject()),
        new JsonObject().put("client_id", settings.clientId()).put("post_logout_redirect_uri", afterLogoutUri));
  }

  /** Fetches the provider's keys again, unless that was done less than {@link #KEY_REFRESH_MS} ago: whether it did. */
  private Future<Boolean> refreshKeys() {
    long now = clock.millis();
    if (auth == null || now - lastKeyRefresh < KEY_REFRESH_MS) {
      return Future.succeededFuture(false);
    }
    lastKeyRefresh = now;
    return auth.jWKSet().map(true).onFailure(failure -> LOG.warn("Fetching the keys of {} failed: {}", issuer, failure.getMessage()));
  }

  private Future<OAuth2Auth> provider() {
    return auth != null ? Future.succeededFuture(auth)
        : Future.failedFuture(new Rejection(ErrorCode.AUTH_UNAVAILABLE, "the sign-in provider cannot be reached yet: try again shortly"));
  }

  private static Rejection loginFailed(String why) {
    return new Rejection(ErrorCode.LOGIN_FAILED, why + ": start again from the sign-in page");
  }
}
