package parley.chat;

/** Where a message stands. User messages are always complete; a bot reply moves from streaming to one end. */
public enum MessageStatus implements Wire.Word {
  STREAMING,
  COMPLETE,
  TERMINATED,
  ERROR,
  /** The node that ran the reply stopped or died while it streamed; the text that had arrived is kept. */
  INTERRUPTED;
}
