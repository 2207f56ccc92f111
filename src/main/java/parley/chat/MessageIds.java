package parley.chat;

import org.bson.types.ObjectId;

/** Message ids: ObjectId hex strings, which grow within a process, so a chat's order is stable. */
public final class MessageIds {
  private MessageIds() {}

  public static String next() {
    return new ObjectId().toHexString();
  }
}
