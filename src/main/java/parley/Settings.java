package parley;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
    int contextMessages,
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
    String bridgeHost) {

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
  }

  public boolean bridgeEnabled() {
    return bridgePort > 0;
  }

  public boolean demoModel() {
    return llmBaseUrl.isEmpty();
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
    return fromJson(overlay(merged, env));
  }

  /** Shipped defaults with some settings replaced: what tests and embedders use. */
  public static Settings defaultsWith(Map<String, ?> overrides) {
    JsonObject merged = shippedDefaults();
    overrides.forEach(merged::put);
    return fromJson(merged);
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

  static Settings fromJson(JsonObject json) {
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
        json.getInteger("PARLEY_CONTEXT_MESSAGES"),
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
        json.getString("PARLEY_BRIDGE_HOST").trim());
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Never print the key: this is what logs and error messages may show. */
  @Override
  public String toString() {
    return "Settings[http=" + httpHost + ":" + httpPort
        + ", store=" + (embeddedStore() ? "embedded in " + dataDir : "MongoDB " + redactedMongoUri())
        + ", model=" + (demoModel() ? "built-in demo" : llmModel + " at " + llmBaseUrl)
        + ", apiKey=" + (llmApiKey.isEmpty() ? "unset" : "set")
        + ", cluster=" + cluster + "]";
  }

  /** A Mongo URI may carry a password: show only the host part. */
  public String redactedMongoUri() {
    return mongoUri.replaceAll("//[^@/]*@", "//***@");
  }
}
