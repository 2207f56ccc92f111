package parley.chat;

/** Where a message stands. User messages are always complete; a bot reply moves from streaming to one end. */
public enum MessageStatus {
  STREAMING,
  COMPLETE,
  TERMINATED,
  ERROR,
  /** The node that ran the reply stopped or died while it streamed; the text that had arrived is kept. */
  INTERRUPTED;

  public String wire() {
    return Wire.word(this);
  }

  public static MessageStatus fromWire(String wire) {
    MessageStatus found = Wire.parse(MessageStatus.class, wire);
    if (found == null) {
      throw new IllegalArgumentException("unknown status: " + wire);
    }
    return found;
  }
}
