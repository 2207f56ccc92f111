package parley.chat;

import java.util.regex.Pattern;
import org.bson.types.ObjectId;

/** Message ids: ObjectId hex strings, which grow within a process, so a chat's order is stable. */
public final class MessageIds {
  private static final Pattern WELL_FORMED = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  private MessageIds() {}

  public static String next() {
    return new ObjectId().toHexString();
  }

  /** Whether the text could be a message id (a query or body naming one is refused otherwise). */
  public static boolean isWellFormed(String id) {
    return id != null && WELL_FORMED.matcher(id).matches();
  }
}
