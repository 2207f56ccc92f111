package parley.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.chat.Wire;

/**
 * How a refusal travels over the event bus, and back. The failure code is the HTTP status of the
 * same refusal (so a bus client reads 400, 409, 503 as an HTTP client would, and the HTTP layer
 * answers with the very same number); the message starts with the stable error code word:
 * {@code "busy: a reply is still streaming in this chat"}, or with the seconds to wait for a refusal
 * that passes, {@code "rate_limited retry=20: …"}.
 */
public final class Failures {
  private static final Pattern WORD_FIRST = Pattern.compile("^([a-z_]+)(?: retry=(\\d{1,9}))?: (.*)$", Pattern.DOTALL);

  private Failures() {}

  /** The HTTP status, and bus failure code, of each refusal. */
  public static int status(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST, LOGIN_FAILED -> 400;
      case UNAUTHENTICATED, INVALID_CREDENTIALS -> 401;
      case FORBIDDEN, CSRF, SIGNUP_CLOSED -> 403;
      case NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case BUSY, CHAT_ID_TAKEN, USERNAME_TAKEN -> 409;
      case TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case RATE_LIMITED, QUOTA_EXCEEDED -> 429;
      case INTERNAL -> 500;
      case UNAVAILABLE, STORE_UNAVAILABLE, AUTH_UNAVAILABLE -> 503;
    };
  }

  /** Answers the request with the refusal. */
  public static void fail(Message<?> request, Rejection rejection) {
    String retry = rejection.retryAfterSeconds() > 0 ? " retry=" + rejection.retryAfterSeconds() : "";
    request.fail(status(rejection.code()), rejection.code().wire() + retry + ": " + rejection.getMessage());
  }

  /**
   * The refusal a failed bus request carried, as a {@link Rejection}; a failure that carries none
   * (no handler, a timeout, a handler that crashed) is {@code unavailable}.
   */
  public static Rejection rejectionOf(Throwable failure) {
    if (failure instanceof Rejection rejection) {
      return rejection;
    }
    if (failure instanceof ReplyException replied && replied.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && replied.getMessage() != null) {
      Matcher matcher = WORD_FIRST.matcher(replied.getMessage());
      ErrorCode code = matcher.matches() ? Wire.parse(ErrorCode.class, matcher.group(1)) : null;
      if (code != null) {
        long retry = matcher.group(2) == null ? 0 : Long.parseLong(matcher.group(2));
        return new Rejection(code, matcher.group(3), retry);
      }
    }
    return null;
  }
}
