package parley.auth;

import parley.chat.Wire;

/** What an account may do: admins also manage accounts (never others' chats). */
public enum Role implements Wire.Word {
  ADMIN,
  USER;
}
