package parley.chat;

/**
 * Every reason Parley refuses a request, as the stable word clients see in {@code error.code}
 * (HTTP) and at the start of a failure's message (event bus). Named here and nowhere else; how
 * each maps to an HTTP status is the HTTP layer's business.
 */
public enum ErrorCode implements Wire.Word {
  BAD_REQUEST,
  /** No valid session or token. */
  UNAUTHENTICATED,
  /** A wrong password or an unknown name: the same answer for both. */
  INVALID_CREDENTIALS,
  FORBIDDEN,
  /** A cookie-authenticated change from a page of another origin. */
  CSRF,
  SIGNUP_CLOSED,
  NOT_FOUND,
  METHOD_NOT_ALLOWED,
  /** A reply is still streaming in the chat. */
  BUSY,
  /** The chat id belongs to someone else's chat. */
  CHAT_ID_TAKEN,
  USERNAME_TAKEN,
  /** A sign-in through the OpenID Connect provider that cannot be completed: wrong state, a code it refuses. */
  LOGIN_FAILED,
  TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  RATE_LIMITED,
  /** The user's daily token quota is spent. */
  QUOTA_EXCEEDED,
  /** Something Parley depends on does not answer: try again shortly. */
  UNAVAILABLE,
  STORE_UNAVAILABLE,
  /** The OpenID Connect provider cannot be reached (yet): sign-in and its tokens wait for it. */
  AUTH_UNAVAILABLE,
  INTERNAL;
}
