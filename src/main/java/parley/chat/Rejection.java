package parley.chat;

/**
 * A request Parley refuses, with the HTTP status that says why. Event-bus handlers fail with the
 * same number as the failure code, so an answer means the same over HTTP and over the bus.
 */
public class Rejection extends RuntimeException {
  public static final int BAD_REQUEST = 400;
  public static final int CONFLICT = 409;
  public static final int UNSUPPORTED_MEDIA_TYPE = 415;
  public static final int TOO_MANY_REQUESTS = 429;
  public static final int UNAVAILABLE = 503;

  private final int status;

  public Rejection(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static Rejection badRequest(String message) {
    return new Rejection(BAD_REQUEST, message);
  }

  public int status() {
    return status;
  }
}
