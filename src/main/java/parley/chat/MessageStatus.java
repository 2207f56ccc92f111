package parley.chat;

/** Where a message stands. User messages are always complete; a bot reply moves from streaming to one end. */
public enum MessageStatus {
  STREAMING("streaming"),
  COMPLETE("complete"),
  TERMINATED("terminated"),
  ERROR("error"),
  /** The node that ran the reply stopped or died while it streamed; the text that had arrived is kept. */
  INTERRUPTED("interrupted");

  private final String wire;

  MessageStatus(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static MessageStatus fromWire(String wire) {
    for (MessageStatus status : values()) {
      if (status.wire.equals(wire)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown status: " + wire);
  }
}
