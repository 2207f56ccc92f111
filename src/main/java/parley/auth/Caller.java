package parley.auth;

import io.vertx.core.json.JsonObject;

/**
 * Who is asking, as the edge that authenticated the request found out, and how. Nothing past the
 * edge sees a credential: only this.
 */
public record Caller(String userId, String username, Role role, Via via) {
  /** How the caller was recognised. */
  public enum Via {
    /** {@code PARLEY_AUTH=none}: whoever reaches the port is the local user. */
    LOCAL,
    /** The session cookie of a signed-in person. */
    COOKIE,
    /** A bearer token: a personal API token (scripts, other services). */
    BEARER
  }

  public boolean admin() {
    return role == Role.ADMIN;
  }

  /** As {@code GET /api/me} shows the account. */
  public JsonObject toJson() {
    return new JsonObject().put("id", userId).put("username", username).put("role", role.wire());
  }
}
