package parley.chat;

import io.vertx.core.json.JsonObject;

/**
 * What {@code GET /api/search} asks: the words (with any quoted phrases) as typed, and how many
 * results at most. Checked here; what the words mean is the search's business.
 */
public record SearchQuery(String q, int limit) {
  public static final int MAX_CHARS = 500;
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  private static final String Q = "q";
  private static final String LIMIT = "limit";

  public SearchQuery {
    if (q == null || q.isBlank()) {
      throw Rejection.badRequest("q is required: the words to search for");
    }
    if (q.length() > MAX_CHARS) {
      throw Rejection.badRequest("q must be at most " + MAX_CHARS + " characters");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw badLimit();
    }
  }

  /** From the query string; a missing {@code limit} is {@value #DEFAULT_LIMIT}. */
  public static SearchQuery fromParams(String q, String limit) {
    if (limit == null) {
      return new SearchQuery(q, DEFAULT_LIMIT);
    }
    try {
      return new SearchQuery(q, Integer.parseInt(limit.trim()));
    } catch (NumberFormatException e) {
      throw badLimit();
    }
  }

  private static Rejection badLimit() {
    return Rejection.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
  }

  public JsonObject toJson() {
    return new JsonObject().put(Q, q).put(LIMIT, limit);
  }

  public static SearchQuery fromJson(JsonObject json) {
    return new SearchQuery(json.getString(Q), json.getInteger(LIMIT, DEFAULT_LIMIT));
  }
}
