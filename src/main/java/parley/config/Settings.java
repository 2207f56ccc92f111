package parley.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of a node. Each has one name, used alike in {@code conf/config.json} and as an
 * environment variable, and its default lives only in the shipped {@code conf/config.json}.
 *
 * <p>Read by hand rather than with vertx-config because it is needed before Vertx exists: whether
 * to build a clustered Vertx is itself a setting.
 */
public record Settings(
    String httpHost,
    int httpPort,
    Path dataDir,
    String mongoUri,
    String mongoDb,
    long mongoTimeoutMs,
    String llmBaseUrl,
    String llmApiKey,
    String llmModel,
    long llmConnectTimeoutMs,
    long llmIdleTimeoutMs,
    long demoDelayMs,
    long checkpointMs,
    long replayRetentionMs,
    long sseKeepAliveMs,
    int sseMaxPendingEvents,
    int maxStreams,
    int maxStreamsPerIp,
    int maxBodyBytes,
    long storeCommitMs,
    boolean cluster,
    String clusterName,
    String clusterHost,
    int clusterPort,
    String clusterMembers,
    int bridgePort,
    String bridgeHost,
    int contextMaxChars,
    int maxConnectionsPerIp,
    long httpHeaderTimeoutMs,
    long httpIdleTimeoutMs,
    Access access,
    List<Provider> providers,
    String titleModel,
    long modelsRefreshMs,
    int sendsAtOnce,
    long sendWaitMs,
    long maxImportBytes,
    int maxImportMessages) {

  /** The config key of the providers: a list, so it comes from {@code conf/config.json}, not the environment. */
  public static final String PROVIDERS = "providers";
  /** A send waiting its turn longer than the event bus's request timeout would be started for a caller told it failed. */
  private static final long MAX_SEND_WAIT_MS = 30_000;
  /** {@code PARLEY_TITLE_MODEL=none}: chats keep the start of their first message as title. */
  public static final String NO_TITLES = "none";

  /** How people are known: {@code PARLEY_AUTH}. */
  public enum AuthMode {
    /** No accounts: whoever reaches the port is the one local user. Loopback only. */
    NONE,
    /** Accounts in the store, passwords hashed with Argon2id. */
    LOCAL,
    /** Sign-in through an OpenID Connect provider. */
    OIDC;

    static AuthMode parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("PARLEY_AUTH must be none, local or oidc, not '" + value + "'");
      }
    }
  }

  /**
   * Who may do what, and how much.
   *
   * @param explicit whether PARLEY_AUTH was set at all (none is the default only on loopback)
   * @param publicUrl the URL people reach Parley at, behind a proxy; empty when unset
   * @param userTokensPerDay a user's daily token quota; 0: none
   * @param oidc the OpenID Connect provider of {@code PARLEY_AUTH=oidc}
   */
  public record Access(
      AuthMode mode,
      boolean explicit,
      String publicUrl,
      boolean signupOpen,
      int userSendsPerMinute,
      int userMaxActiveReplies,
      long userTokensPerDay,
      Oidc oidc) {

    public boolean accounts() {
      return mode != AuthMode.NONE;
    }

    /** Cookies are marked Secure and HSTS is sent when people reach Parley over https. */
    public boolean https() {
      return publicUrl.startsWith("https://");
    }
  }

  /**
   * The OpenID Connect provider people sign in with ({@code PARLEY_AUTH=oidc}).
   *
   * @param issuer the provider's issuer URL, where {@code /.well-known/openid-configuration} is found
   * @param clientSecret empty for a public client (PKCE alone)
   * @param adminGroup members of this group (the {@code groups} claim) are admins; empty: the first account is
   */
  public record Oidc(String issuer, String clientId, String clientSecret, String adminGroup) {
    /** Never the secret: this is what logs and error messages may show. */
    @Override
    public String toString() {
      return "Oidc[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=" + (clientSecret.isEmpty() ? "unset" : "set")
          + ", adminGroup=" + (adminGroup.isEmpty() ? "unset" : adminGroup) + "]";
    }
  }

  public static final String SHIPPED = "conf/config.json";

  public boolean embeddedStore() {
    return mongoUri.isEmpty();
  }

  /** Settings that cannot work together, said before anything starts. */
  public void check() {
    if (cluster && embeddedStore()) {
      throw new IllegalArgumentException(
          "a cluster needs one shared MongoDB: set PARLEY_MONGO_URI (the embedded store is for a single node)");
    }
    if (access.mode() == AuthMode.NONE && !access.explicit() && !loopbackOnly()) {
      throw new IllegalArgumentException("PARLEY_HTTP_HOST is " + httpHost + ", reachable from other machines, but no "
          + "PARLEY_AUTH is set: anyone could read every chat and spend the model's key. Set PARLEY_AUTH=local "
          + "(accounts), or PARLEY_AUTH=none if you really mean to run without sign-in");
    }
    if (access.mode() == AuthMode.NONE && !access.explicit() && bridgeEnabled() && !isLoopback(bridgeHost)) {
      throw new IllegalArgumentException("PARLEY_BRIDGE_HOST is " + bridgeHost + ", reachable from other machines, but no "
          + "PARLEY_AUTH is set: anyone could act on every chat through the bridge. Set PARLEY_AUTH=local, "
          + "or PARLEY_AUTH=none if you really mean it");
    }
    if (!access.publicUrl().isEmpty() && !access.publicUrl().matches("^https?://[^/?#]+$")) {
      throw new IllegalArgumentException("PARLEY_PUBLIC_URL must be the origin people use, like https://chat.example.org (no path)");
    }
    if (access.mode() == AuthMode.OIDC) {
      checkOidc();
    }
    if (sendWaitMs < 1 || sendWaitMs >= MAX_SEND_WAIT_MS) {
      throw new IllegalArgumentException("PARLEY_SEND_WAIT_MS must be from 1 to " + (MAX_SEND_WAIT_MS - 1)
          + ": the HTTP side stops waiting for a send's answer on the event bus after " + MAX_SEND_WAIT_MS / 1000 + " s");
    }
  }

  private void checkOidc() {
    Oidc oidc = access.oidc();
    if (!oidc.issuer().matches("^https?://[^?#\\s]+$")) {
      throw new IllegalArgumentException("PARLEY_AUTH=oidc needs PARLEY_OIDC_ISSUER, the provider's issuer URL "
          + "(like https://keycloak.example.org/realms/acme), not '" + oidc.issuer() + "'");
    }
    if (oidc.clientId().isEmpty()) {
      throw new IllegalArgumentException("PARLEY_AUTH=oidc needs PARLEY_OIDC_CLIENT_ID, the client id Parley has at the provider");
    }
    if (access.publicUrl().isEmpty()) {
      throw new IllegalArgumentException("PARLEY_AUTH=oidc needs PARLEY_PUBLIC_URL, the origin people reach Parley at: "
          + "the provider sends them back to PARLEY_PUBLIC_URL/auth/callback");
    }
  }

  /**
   * What a node says at every start when {@code PARLEY_AUTH=none} was asked for on an address other
   * machines reach; empty otherwise. ({@link #check()} refuses the same when PARLEY_AUTH is unset.)
   */
  public Optional<String> openAccessWarning() {
    if (access.mode() != AuthMode.NONE || !access.explicit() || loopbackOnly()) {
      return Optional.empty();
    }
    return Optional.of("PARLEY_AUTH=none and PARLEY_HTTP_HOST is " + httpHost + ": anyone who can reach port " + httpPort
        + (bridgeEnabled() ? " or the bridge's port " + bridgePort : "") + " reads every chat and spends the model's key "
        + "without signing in. Set PARLEY_AUTH=local unless every machine that reaches this address is trusted"
        + (access.publicUrl().isEmpty() ? " (and set PARLEY_PUBLIC_URL to the address they use: in this mode a request "
            + "naming another host than a loopback one or PARLEY_PUBLIC_URL's gets 403)" : ""));
  }

  /** Whether the HTTP server (and the bridge) can only be reached from this machine. */
  public boolean loopbackOnly() {
    return isLoopback(httpHost);
  }

  public static boolean isLoopback(String host) {
    return Loopback.isName(host);
  }

  public boolean bridgeEnabled() {
    return bridgePort > 0;
  }

  /** No provider at all: replies come from the built-in demo model. */
  public boolean demoModel() {
    return providers.isEmpty();
  }

  /** Shipped defaults, then {@code ./conf/config.json} if there is one, then the environment. */
  public static Settings load(Map<String, String> env) {
    JsonObject merged = shippedDefaults();
    Path local = Path.of(SHIPPED);
    if (Files.isRegularFile(local)) {
      try {
        merged.mergeIn(new JsonObject(Files.readString(local)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + local.toAbsolutePath(), e);
      }
    }
    return fromJson(overlay(merged, env), env);
  }

  /** Shipped defaults with some settings replaced: what tests and embedders use. */
  public static Settings defaultsWith(Map<String, ?> overrides) {
    return defaultsWith(overrides, Map.of());
  }

  /** The same, with the environment the providers' keys are read from. */
  public static Settings defaultsWith(Map<String, ?> overrides, Map<String, String> env) {
    JsonObject merged = shippedDefaults();
    overrides.forEach(merged::put);
    return fromJson(merged, env);
  }

  public static JsonObject shippedDefaults() {
    try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException(SHIPPED + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Environment variables replace only the settings that exist, keeping each one's JSON type. */
  static JsonObject overlay(JsonObject base, Map<String, String> env) {
    JsonObject result = base.copy();
    for (String key : base.fieldNames()) {
      String value = env.get(key);
      if (value == null) {
        continue;
      }
      Object current = base.getValue(key);
      if (current instanceof JsonArray || current instanceof JsonObject) {
        continue;
      }
      try {
        if (current instanceof Boolean) {
          result.put(key, Boolean.parseBoolean(value.trim()));
        } else if (current instanceof Number) {
          result.put(key, Long.parseLong(value.trim()));
        } else {
          result.put(key, value);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
      }
    }
    return result;
  }

  static Settings fromJson(JsonObject json, Map<String, String> env) {
    return new Settings(
        json.getString("PARLEY_HTTP_HOST"),
        json.getInteger("PARLEY_HTTP_PORT"),
        Path.of(json.getString("PARLEY_DATA_DIR")),
        json.getString("PARLEY_MONGO_URI").trim(),
        json.getString("PARLEY_MONGO_DB"),
        json.getLong("PARLEY_MONGO_TIMEOUT_MS"),
        stripTrailingSlash(json.getString("PARLEY_LLM_BASE_URL").trim()),
        json.getString("PARLEY_LLM_API_KEY"),
        json.getString("PARLEY_LLM_MODEL"),
        json.getLong("PARLEY_LLM_CONNECT_TIMEOUT_MS"),
        json.getLong("PARLEY_LLM_IDLE_TIMEOUT_MS"),
        json.getLong("PARLEY_DEMO_DELAY_MS"),
        json.getLong("PARLEY_CHECKPOINT_MS"),
        json.getLong("PARLEY_REPLAY_RETENTION_MS"),
        json.getLong("PARLEY_SSE_KEEPALIVE_MS"),
        json.getInteger("PARLEY_SSE_MAX_PENDING_EVENTS"),
        json.getInteger("PARLEY_MAX_STREAMS"),
        json.getInteger("PARLEY_MAX_STREAMS_PER_IP"),
        json.getInteger("PARLEY_MAX_BODY_BYTES"),
        json.getLong("PARLEY_STORE_COMMIT_MS"),
        json.getBoolean("PARLEY_CLUSTER"),
        json.getString("PARLEY_CLUSTER_NAME"),
        json.getString("PARLEY_CLUSTER_HOST").trim(),
        json.getInteger("PARLEY_CLUSTER_PORT"),
        json.getString("PARLEY_CLUSTER_MEMBERS").trim(),
        json.getInteger("PARLEY_BRIDGE_PORT"),
        json.getString("PARLEY_BRIDGE_HOST").trim(),
        json.getInteger("PARLEY_CONTEXT_MAX_CHARS"),
        json.getInteger("PARLEY_MAX_CONNECTIONS_PER_IP"),
        json.getLong("PARLEY_HTTP_HEADER_TIMEOUT_MS"),
        json.getLong("PARLEY_HTTP_IDLE_TIMEOUT_MS"),
        access(json),
        providers(json, env),
        json.getString("PARLEY_TITLE_MODEL").trim(),
        json.getLong("PARLEY_MODELS_REFRESH_MS"),
        json.getInteger("PARLEY_SENDS_AT_ONCE"),
        json.getLong("PARLEY_SEND_WAIT_MS"),
        json.getLong("PARLEY_MAX_IMPORT_BYTES"),
        json.getInteger("PARLEY_MAX_IMPORT_MESSAGES"));
  }

  /**
   * The {@code PARLEY_LLM_*} provider first (when its base URL is set, offering {@code
   * PARLEY_LLM_MODEL}), then those of {@code providers}, in their order.
   */
  private static List<Provider> providers(JsonObject json, Map<String, String> env) {
    List<Provider> providers = new ArrayList<>();
    String singleUrl = stripTrailingSlash(json.getString("PARLEY_LLM_BASE_URL").trim());
    if (!singleUrl.isEmpty()) {
      providers.add(new Provider(Provider.SINGLE, singleUrl, json.getString("PARLEY_LLM_API_KEY"),
          List.of(json.getString("PARLEY_LLM_MODEL").trim())));
    }
    Object configured = json.getValue(PROVIDERS);
    if (configured != null && !(configured instanceof JsonArray)) {
      throw new IllegalArgumentException(PROVIDERS + " must be a list of {name, baseUrl, apiKeyEnv, models?}");
    }
    for (Object item : configured == null ? new JsonArray() : (JsonArray) configured) {
      if (!(item instanceof JsonObject entry)) {
        throw new IllegalArgumentException(PROVIDERS + " must be a list of {name, baseUrl, apiKeyEnv, models?}");
      }
      String name = entry.getValue("name") instanceof String text ? text : null;
      Object keyEnv = entry.getValue("apiKeyEnv");
      if (keyEnv != null && !(keyEnv instanceof String)) {
        throw new IllegalArgumentException("provider " + name + ": apiKeyEnv must be the name of an environment variable");
      }
      String apiKey = keyEnv == null || ((String) keyEnv).isBlank() ? "" : env.getOrDefault(((String) keyEnv).trim(), "");
      Object models = entry.getValue("models");
      List<String> names = new ArrayList<>();
      if (models != null) {
        if (!(models instanceof JsonArray list) || !list.stream().allMatch(m -> m instanceof String text && !text.isBlank())) {
          throw new IllegalArgumentException("provider " + name + ": models must be a list of model names");
        }
        list.forEach(model -> names.add(((String) model).trim()));
      }
      providers.add(new Provider(name, entry.getValue("baseUrl") instanceof String url ? url.trim() : null, apiKey, names));
    }
    var seen = new HashSet<String>();
    for (Provider provider : providers) {
      if (!seen.add(provider.name())) {
        throw new IllegalArgumentException("two providers are called " + provider.name()
            + (Provider.SINGLE.equals(provider.name()) ? " (that name is PARLEY_LLM_BASE_URL's)" : ""));
      }
    }
    return List.copyOf(providers);
  }

  private static Access access(JsonObject json) {
    String mode = json.getString("PARLEY_AUTH").trim();
    return new Access(
        mode.isEmpty() ? AuthMode.NONE : AuthMode.parse(mode),
        !mode.isEmpty(),
        stripTrailingSlash(json.getString("PARLEY_PUBLIC_URL").trim()),
        signup(json.getString("PARLEY_SIGNUP")),
        json.getInteger("PARLEY_USER_SENDS_PER_MINUTE"),
        json.getInteger("PARLEY_USER_MAX_ACTIVE_REPLIES"),
        json.getLong("PARLEY_USER_TOKENS_PER_DAY"),
        new Oidc(
            stripTrailingSlash(json.getString("PARLEY_OIDC_ISSUER").trim()),
            json.getString("PARLEY_OIDC_CLIENT_ID").trim(),
            json.getString("PARLEY_OIDC_CLIENT_SECRET"),
            json.getString("PARLEY_OIDC_ADMIN_GROUP").trim()));
  }

  private static boolean signup(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "open" -> true;
      case "closed" -> false;
      default -> throw new IllegalArgumentException("PARLEY_SIGNUP must be open or closed, not '" + value + "'");
    };
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Never print the key: this is what logs and error messages may show. */
  @Override
  public String toString() {
    return "Settings[http=" + httpHost + ":" + httpPort
        + ", store=" + (embeddedStore() ? "embedded in " + dataDir : "MongoDB " + redactedMongoUri())
        + ", models=" + (demoModel() ? "built-in demo" : providers)
        + ", auth=" + access.mode().name().toLowerCase(Locale.ROOT)
        + (access.mode() == AuthMode.OIDC ? " " + access.oidc() : "")
        + ", cluster=" + cluster + "]";
  }

  /** A Mongo URI may carry a password: show only the host part. */
  public String redactedMongoUri() {
    return mongoUri.replaceAll("//[^@/]*@", "//***@");
  }
}
