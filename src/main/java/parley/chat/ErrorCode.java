package parley.chat;

/**
 * Every reason Parley refuses a request, as the stable word clients see in {@code error.code}
 * (HTTP) and at the start of a failure's message (event bus). Named here and nowhere else; how
 * each maps to an HTTP status is the HTTP layer's business.
 */
public enum ErrorCode {
  BAD_REQUEST("bad_request"),
  NOT_FOUND("not_found"),
  METHOD_NOT_ALLOWED("method_not_allowed"),
  /** A reply is still streaming in the chat. */
  BUSY("busy"),
  TOO_LARGE("too_large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
  RATE_LIMITED("rate_limited"),
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
