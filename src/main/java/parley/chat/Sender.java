package parley.chat;

/** Who wrote a message. */
public enum Sender implements Wire.Word {
  USER,
  BOT;
}
