package parley.chat;

/**
 * Every reason Parley refuses a request, as the stable word clients see in {@code error.code}
 * (HTTP) and at the start of a failure's message (event bus). Named here and nowhere else; how
 * each maps to an HTTP status is the HTTP layer's business.
 */
public enum ErrorCode {
  BAD_REQUEST("bad_request"),
  /** No valid session or token. */
  UNAUTHENTICATED("unauthenticated"),
  /** A wrong password or an unknown name: the same answer for both. */
  INVALID_CREDENTIALS("invalid_credentials"),
  FORBIDDEN("forbidden"),
  /** A cookie-authenticated change from a page of another origin. */
  CSRF("csrf"),
  SIGNUP_CLOSED("signup_closed"),
  NOT_FOUND("not_found"),
  METHOD_NOT_ALLOWED("method_not_allowed"),
  /** A reply is still streaming in the chat. */
  BUSY("busy"),
  /** The chat id belongs to someone else's chat. */
  CHAT_ID_TAKEN("chat_id_taken"),
  USERNAME_TAKEN("username_taken"),
  TOO_LARGE("too_large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
  RATE_LIMITED("rate_limited"),
  /** The user's daily token quota is spent. */
  QUOTA_EXCEEDED("quota_exceeded"),
  /** Something Parley depends on does not answer: try again shortly. */
  UNAVAILABLE("unavailable"),
  STORE_UNAVAILABLE("store_unavailable"),
  INTERNAL("internal");

  private final String word;

  ErrorCode(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  /** The code of a word, or null for a word Parley does not use. */
  public static ErrorCode ofWord(String word) {
    for (ErrorCode code : values()) {
      if (code.word.equals(word)) {
        return code;
      }
    }
    return null;
  }
}
