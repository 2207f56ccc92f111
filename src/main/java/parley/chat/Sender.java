package parley.chat;

public enum Sender {
  USER("user"),
  BOT("bot");

  private final String wire;

  Sender(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Sender fromWire(String wire) {
    for (Sender sender : values()) {
      if (sender.wire.equals(wire)) {
        return sender;
      }
    }
    throw new IllegalArgumentException("unknown sender: " + wire);
  }
}
