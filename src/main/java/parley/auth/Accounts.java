package parley.auth;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * What identity needs from the store: accounts, their sign-ins and their usage. The store
 * implements it (over the event bus); identity's logic depends only on this.
 */
public interface Accounts {
  /** A stored account with its password hash, for sign-in. */
  record Login(User user, String passwordHash) {}

  Future<Boolean> anyAccount();

  /**
   * Makes an account by sign-up: the first account ever is an admin (and inherits the chats made
   * before accounts existed); later ones are users, and only while {@code signupOpen}.
   */
  Future<User> signUp(String username, String passwordHash, boolean signupOpen);

  /** Makes an account with the role asked for (an admin's act). */
  Future<User> create(String username, Role role, String passwordHash);

  /**
   * The account linked to the provider's {@code (iss, sub)}, made on first sight: named after the
   * identity (the first free one of {@code name}, {@code name-2}…, so a local account's name is
   * never taken over), with the role its groups give, which follows them at every sign-in; without
   * an admin group the first account ever is the admin.
   */
  Future<User> linked(ProviderIdentity identity);

  /** The account of that name, or null. */
  Future<Login> login(String username);

  Future<List<User>> users();

  /** The account, its sign-ins, its chats and its usage: all gone. False when there was none. */
  Future<Boolean> deleteUser(String userId);

  Future<Void> saveCredential(Credential credential);

  /**
   * The account a sign-in of this kind belongs to, or null (unknown, of another kind, expired,
   * revoked, or its account deleted): a session id is no bearer token, and a token no cookie.
   */
  Future<User> userOf(String digest, Credential.Kind kind);

  /** Records that a token was used now. */
  Future<Void> touch(String digest);

  Future<Void> deleteCredential(String digest);

  Future<List<Credential>> tokens(String userId);

  /** Deletes the user's token; its digest, or null when the user has no such token. */
  Future<String> deleteToken(String userId, String tokenId);

  Future<Usage> usage(String userId);

  Future<Map<String, Usage>> usageOfAll();

  /** The first admin's id, or null while there is no account. */
  Future<String> firstAdmin();
}
