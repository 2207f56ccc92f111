package parley.auth;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Pattern;
import parley.chat.Rejection;
import parley.chat.Wire;

/** A name and password someone asks an account for: checked once here, for sign-up, sign-in and admins alike. */
public record NewAccount(String username, String password, Role role) {
  public static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{1,31}$");
  public static final int MIN_PASSWORD = 8;
  public static final int MAX_PASSWORD = 256;

  public NewAccount {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw Rejection.badRequest("username must be 2 to 32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
    if (password == null || characters(password) < MIN_PASSWORD || characters(password) > MAX_PASSWORD) {
      throw Rejection.badRequest("password must have " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
  }

  /** {@code {username, password, role?}}; the name is compared lower-cased. */
  public static NewAccount fromJson(JsonObject body, Role defaultRole, boolean roleAllowed) {
    if (body == null) {
      throw Rejection.badRequest("the body must be a JSON object");
    }
    Object username = body.getValue("username");
    Object password = body.getValue("password");
    if (!(username instanceof String name)) {
      throw Rejection.badRequest("username must be a string");
    }
    if (!(password instanceof String secret)) {
      throw Rejection.badRequest("password must be a string");
    }
    Role role = defaultRole;
    Object requested = body.getValue("role");
    if (requested != null) {
      role = requested instanceof String wire ? Wire.parse(Role.class, wire) : null;
      if (role == null || !roleAllowed) {
        throw Rejection.badRequest(roleAllowed ? "role must be admin or user" : "role cannot be chosen here");
      }
    }
    return new NewAccount(normalize(name), secret, role);
  }

  /** Characters as people count them (code points): an emoji is one, not the two UTF-16 units Java's length counts. */
  public static int characters(String text) {
    return text.codePointCount(0, text.length());
  }

  public static String normalize(String username) {
    return username.trim().toLowerCase(Locale.ROOT);
  }
}
