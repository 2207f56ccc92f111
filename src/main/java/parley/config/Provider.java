package parley.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One OpenAI-compatible API Parley may call: {@code providers} in {@code conf/config.json}
 * ({@code {name, baseUrl, apiKeyEnv, models?}}), or the single one the {@code PARLEY_LLM_*}
 * variables describe. The key is read from the environment variable the config names, never from
 * the config itself, and is never shown.
 *
 * @param apiKey empty for none
 * @param models the models offered; empty: whatever the provider's {@code /models} lists
 */
public record Provider(String name, String baseUrl, String apiKey, List<String> models) {
  /** What the {@code PARLEY_LLM_*} provider is called in model ids ({@code default/gpt-4o-mini}). */
  public static final String SINGLE = "default";
  /** Reserved for the built-in demo model. */
  public static final String DEMO = "demo";
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_.-]{1,40}$");

  public Provider {
    if (name == null || !NAME.matcher(name).matches() || DEMO.equals(name)) {
      throw new IllegalArgumentException("a provider's name must be 1 to 40 letters, digits, '.', '_' or '-' (and not "
          + DEMO + "), not '" + name + "'");
    }
    if (baseUrl == null || !baseUrl.matches("^https?://[^\\s]+$")) {
      throw new IllegalArgumentException("provider " + name + ": baseUrl must be an http(s) URL, like https://api.openai.com/v1");
    }
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    apiKey = apiKey == null ? "" : apiKey;
    models = List.copyOf(models);
  }

  /** Never the key. */
  @Override
  public String toString() {
    return name + " at " + baseUrl + (apiKey.isEmpty() ? "" : " (key set)");
  }
}
