package parley.chat;

/**
 * Model ids as clients name them: {@code <provider>/<name>}, e.g. {@code openai/gpt-4o-mini} (the
 * name may hold slashes of its own: {@code openrouter/meta-llama/llama-3-8b}). Whether one exists is
 * the model catalog's business; here only the shape is checked.
 */
public final class ModelIds {
  public static final int MAX_CHARS = 200;

  private ModelIds() {}

  public static String of(String provider, String name) {
    return provider + "/" + name;
  }

  /** A model id from JSON: null when absent or null, 400 for anything but a sensible string. */
  public static String optional(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String id) || id.isBlank() || id.length() > MAX_CHARS || id.indexOf('/') <= 0) {
      throw Rejection.badRequest("model must be a model id from GET /api/models, like provider/name");
    }
    return id;
  }
}
