package parley.auth;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import parley.chat.ChatMessage;

/**
 * A stored sign-in: a session (browser cookie) or a personal API token. Only the digest of its
 * secret is kept ({@link Secrets#digest}); a token also has a public id and a name.
 */
public record Credential(String digest, Kind kind, String userId, String tokenId, String name, Instant createdAt, Instant lastUsedAt) {
  public enum Kind {
    SESSION,
    TOKEN
  }

  public static Credential session(String digest, String userId, Instant now) {
    return new Credential(digest, Kind.SESSION, userId, null, null, now, null);
  }

  public static Credential token(String digest, String userId, String name, Instant now) {
    return new Credential(digest, Kind.TOKEN, userId, Secrets.newId(), name, now, null);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("digest", digest)
        .put("kind", kind.name())
        .put("userId", userId)
        .put("tokenId", tokenId)
        .put("name", name)
        .put("createdAt", ChatMessage.timestamp(createdAt))
        .put("lastUsedAt", lastUsedAt == null ? null : ChatMessage.timestamp(lastUsedAt));
  }

  public static Credential fromJson(JsonObject json) {
    String lastUsed = json.getString("lastUsedAt");
    return new Credential(json.getString("digest"), Kind.valueOf(json.getString("kind")), json.getString("userId"),
        json.getString("tokenId"), json.getString("name"), Instant.parse(json.getString("createdAt")),
        lastUsed == null ? null : Instant.parse(lastUsed));
  }

  /** A token as its owner sees it in the list: never the secret, nor its digest. */
  public JsonObject toTokenJson() {
    return new JsonObject()
        .put("id", tokenId)
        .put("name", name)
        .put("createdAt", ChatMessage.timestamp(createdAt))
        .put("lastUsedAt", lastUsedAt == null ? null : ChatMessage.timestamp(lastUsedAt));
  }
}
