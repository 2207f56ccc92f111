package parley.auth;

import java.util.Locale;

/** What an account may do: admins also manage accounts (never others' chats). */
public enum Role {
  ADMIN,
  USER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role of a wire word, or null for any other. */
  public static Role ofWire(String wire) {
    for (Role role : values()) {
      if (role.wire().equals(wire)) {
        return role;
      }
    }
    return null;
  }
}
