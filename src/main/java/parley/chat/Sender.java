package parley.chat;

/** Who wrote a message. */
public enum Sender {
  USER,
  BOT;

  public String wire() {
    return Wire.word(this);
  }

  public static Sender fromWire(String wire) {
    Sender found = Wire.parse(Sender.class, wire);
    if (found == null) {
      throw new IllegalArgumentException("unknown sender: " + wire);
    }
    return found;
  }
}
