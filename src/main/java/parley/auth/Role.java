package parley.auth;

import parley.chat.Wire;

/** What an account may do: admins also manage accounts (never others' chats). */
public enum Role {
  ADMIN,
  USER;

  public String wire() {
    return Wire.word(this);
  }

  /** The role of a wire word, or null for any other. */
  public static Role ofWire(String wire) {
    return Wire.parse(Role.class, wire);
  }
}
