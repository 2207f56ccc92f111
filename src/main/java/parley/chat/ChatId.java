package parley.chat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** A chat's identifier: safe in a path, an event-bus address and a Mongo query as it is. */
public record ChatId(String value) {
  private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** 128 bits: chat ids are one namespace for everyone, so one Parley makes must never be taken. */
  private static final int RANDOM_BYTES = 16;

  public ChatId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw Rejection.badRequest("chatId must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'");
    }
  }

  /** Accepts only a JSON string: an object here could smuggle a Mongo operator into a query. */
  public static ChatId parse(Object raw) {
    if (raw == null) {
      throw Rejection.badRequest("chatId is required");
    }
    if (!(raw instanceof String text)) {
      throw Rejection.badRequest("chatId must be a string");
    }
    return new ChatId(text);
  }

  /** A new id of Parley's own making ({@code chat-} and 22 base64url characters), as the web app makes them. */
  public static ChatId random() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return new ChatId("chat-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  @Override
  public String toString() {
    return value;
  }
}
