package parley.chat;

/**
 * A request Parley refuses: what went wrong ({@link ErrorCode}), a sentence for people, and for a
 * refusal that passes, when to try again. The edges (HTTP, event bus) decide how to say it on
 * their wire.
 */
public class Rejection extends RuntimeException {
  private final ErrorCode code;
  private final long retryAfterSeconds;

  public Rejection(ErrorCode code, String message) {
    this(code, message, 0);
  }

  /** @param retryAfterSeconds when the same request may succeed; 0 when waiting does not help */
  public Rejection(ErrorCode code, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static Rejection badRequest(String message) {
    return new Rejection(ErrorCode.BAD_REQUEST, message);
  }

  /** The chat id belongs to someone else's chat: all that such a chat shows of itself. */
  public static Rejection chatIdTaken() {
    return new Rejection(ErrorCode.CHAT_ID_TAKEN, "this chat id belongs to another chat: use another id");
  }

  public ErrorCode code() {
    return code;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
