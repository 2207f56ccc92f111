package parley.auth;

import io.vertx.core.Future;
import parley.chat.ErrorCode;
import parley.chat.Rejection;

/**
 * The one local user of {@code PARLEY_AUTH=none}, and who a request on the event bus acts for.
 * The local user is the first admin if accounts were ever made (the chats made before accounts
 * became theirs), else a fixed id; asked of the store once, since no account is made while
 * nobody can sign in.
 */
public final class LocalUser {
  /** Who owns what is made while nobody can sign in and no account exists. */
  public static final String ID = "local";

  private final Accounts accounts;
  private final boolean accountsOn;
  private Future<String> id;

  public LocalUser(Accounts accounts, boolean accountsOn) {
    this.accounts = accounts;
    this.accountsOn = accountsOn;
  }

  public Future<String> id() {
    if (id == null) {
      id = accounts.firstAdmin().map(admin -> admin == null ? ID : admin).onFailure(failure -> id = null);
    }
    return id;
  }

  /**
   * Who a request on a public bus address acts for: the user its edge (HTTP, the bridge) or a
   * trusted JVM peer named in the user header; without one, the local user when there are no
   * accounts, and nobody (refused) when there are.
   */
  public Future<String> actingFor(String userHeader) {
    if (userHeader != null && !userHeader.isEmpty()) {
      return Future.succeededFuture(userHeader);
    }
    if (accountsOn) {
      return Future.failedFuture(new Rejection(ErrorCode.UNAUTHENTICATED, "say who the request is for: the parley-user header"));
    }
    return id();
  }
}
