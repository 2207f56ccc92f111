package parley.auth;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import parley.chat.ChatMessage;
import parley.chat.Wire;

/** An account as people see it: never its password. */
public record User(String id, String username, Role role, Instant createdAt) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("username", username)
        .put("role", role.wire())
        .put("createdAt", ChatMessage.timestamp(createdAt));
  }

  public static User fromJson(JsonObject json) {
    return new User(json.getString("id"), json.getString("username"), Wire.parse(Role.class, json.getString("role")),
        Instant.parse(json.getString("createdAt")));
  }

  public Caller as(Caller.Via via) {
    return new Caller(id, username, role, via);
  }
}
