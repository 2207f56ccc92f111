package parley.auth;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Pattern;
import parley.chat.Wire;

/**
 * A person (or service) as the OpenID Connect provider vouches for them: its {@code (iss, sub)},
 * which the account is linked to, the name it suggests, and the role its groups give.
 *
 * @param role admin or user by the admin group; null when no admin group is set (the first account is the admin)
 */
public record ProviderIdentity(String issuer, String subject, String preferredUsername, Role role) {
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-z0-9._-]+");
  private static final int MAX_USERNAME = 32;
  private static final String FALLBACK = "user";

  public JsonObject toJson() {
    return new JsonObject().put("issuer", issuer).put("subject", subject).put("preferredUsername", preferredUsername)
        .put("role", role == null ? null : role.wire());
  }

  public static ProviderIdentity fromJson(JsonObject json) {
    String role = json.getString("role");
    return new ProviderIdentity(json.getString("issuer"), json.getString("subject"), json.getString("preferredUsername"),
        role == null ? null : Wire.parse(Role.class, role));
  }

  /**
   * The Parley username this identity asks for: {@code preferred_username} lower-cased, with what a
   * Parley name cannot hold replaced by {@code -} and cut to 32 characters ({@code Jane Doe@corp}
   * becomes {@code jane-doe-corp}); {@code user} when nothing usable is left.
   */
  public String username() {
    String name = NOT_ALLOWED.matcher(preferredUsername == null ? "" : preferredUsername.trim().toLowerCase(Locale.ROOT)).replaceAll("-");
    name = name.replaceAll("^[._-]+", "");
    if (name.length() > MAX_USERNAME) {
      name = name.substring(0, MAX_USERNAME);
    }
    return NewAccount.USERNAME.matcher(name).matches() ? name : FALLBACK;
  }

  /**
   * The {@code n}th name to try when the first is taken (by a local account or another person of
   * the provider): {@code jane-2}, {@code jane-3}…, cut so that it still fits.
   */
  public String username(int attempt) {
    if (attempt <= 1) {
      return username();
    }
    String suffix = "-" + attempt;
    String base = username();
    return (base.length() + suffix.length() > MAX_USERNAME ? base.substring(0, MAX_USERNAME - suffix.length()) : base) + suffix;
  }
}
