package parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings: shipped defaults, environment on top, and no secret in their printed form. */
class SettingsTest {

  @Test
  void defaultsMatchTheContract() {
    Settings settings = Settings.defaultsWith(Map.of());
    assertThat(settings.httpPort()).isEqualTo(8080);
    assertThat(settings.dataDir().toString()).isEqualTo("./data");
    assertThat(settings.embeddedStore()).isTrue();
    assertThat(settings.demoModel()).isTrue();
    assertThat(settings.llmModel()).isEqualTo("gpt-4o-mini");
    assertThat(settings.mongoDb()).isEqualTo("parley");
    assertThat(settings.cluster()).isFalse();
  }

  @Test
  void environmentOverridesKeepingTypes() {
    var json = Settings.overlay(Settings.shippedDefaults(), Map.of(
        "PARLEY_HTTP_PORT", "9090", "PARLEY_CLUSTER", "true", "PARLEY_LLM_BASE_URL", "http://x/v1/", "UNRELATED", "1"));
    Settings settings = Settings.fromJson(json, Map.of());
    assertThat(settings.httpPort()).isEqualTo(9090);
    assertThat(settings.cluster()).isTrue();
    assertThat(settings.llmBaseUrl()).isEqualTo("http://x/v1");
    assertThatThrownBy(() -> Settings.overlay(Settings.shippedDefaults(), Map.of("PARLEY_HTTP_PORT", "eighty")))
        .hasMessageContaining("PARLEY_HTTP_PORT");
  }

  @Test
  void anAddressOtherMachinesReachNeedsPARLEY_AUTH() {
    Settings unset = Settings.defaultsWith(Map.of("PARLEY_HTTP_HOST", "0.0.0.0"));
    assertThatThrownBy(unset::check).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PARLEY_AUTH").hasMessageContaining("0.0.0.0");
    assertThat(unset.openAccessWarning()).isEmpty();
  }

  @Test
  void anExplicitNoneOnAnAddressOtherMachinesReachStartsWithAWarning() {
    Settings open = Settings.defaultsWith(Map.of("PARLEY_HTTP_HOST", "0.0.0.0", "PARLEY_AUTH", "none"));
    open.check();
    assertThat(open.openAccessWarning()).hasValueSatisfying(warning -> assertThat(warning)
        .contains("PARLEY_AUTH=none").contains("0.0.0.0").contains("PARLEY_PUBLIC_URL").doesNotContain("\n"));

    for (Map<String, Object> quiet : java.util.List.<Map<String, Object>>of(
        Map.of("PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_AUTH", "none"),
        Map.of("PARLEY_HTTP_HOST", "::1", "PARLEY_AUTH", "none"),
        Map.of("PARLEY_HTTP_HOST", "localhost"),
        Map.of("PARLEY_HTTP_HOST", "0.0.0.0", "PARLEY_AUTH", "local"))) {
      Settings settings = Settings.defaultsWith(quiet);
      settings.check();
      assertThat(settings.openAccessWarning()).as(quiet.toString()).isEmpty();
    }
  }

  @Test
  void printedFormHidesTheKeyAndMongoPassword() {
    Settings settings = Settings.defaultsWith(Map.of(
        "PARLEY_LLM_API_KEY", "sk-very-secret", "PARLEY_MONGO_URI", "mongodb://user:pw@db:27017", "PARLEY_LLM_BASE_URL", "http://x/v1"));
    assertThat(settings.toString()).doesNotContain("sk-very-secret").doesNotContain("pw@").contains("(key set)");
  }

  @Test
  void providersTakeTheirKeysFromTheEnvironmentVariablesTheyName() {
    JsonArray providers = new JsonArray()
        .add(new JsonObject().put("name", "openai").put("baseUrl", "https://api.openai.com/v1/").put("apiKeyEnv", "OPENAI_KEY"))
        .add(new JsonObject().put("name", "ollama").put("baseUrl", "http://127.0.0.1:11434/v1").put("models", new JsonArray().add("llama3.2")));
    Settings settings = Settings.defaultsWith(Map.of("providers", providers, "PARLEY_LLM_BASE_URL", "http://x/v1"),
        Map.of("OPENAI_KEY", "sk-from-env"));
    assertThat(settings.providers()).extracting(Provider::name).containsExactly("default", "openai", "ollama");
    assertThat(settings.providers().get(1).apiKey()).isEqualTo("sk-from-env");
    assertThat(settings.providers().get(1).baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(settings.providers().get(2).apiKey()).isEmpty();
    assertThat(settings.providers().get(2).models()).containsExactly("llama3.2");
    assertThat(settings.providers().get(0).models()).containsExactly("gpt-4o-mini");
    assertThat(settings.toString()).doesNotContain("sk-from-env");
    assertThat(settings.demoModel()).isFalse();
  }

  @Test
  void badProvidersAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Settings.defaultsWith(Map.of("providers", new JsonArray()
        .add(new JsonObject().put("name", "a").put("baseUrl", "http://a/v1"))
        .add(new JsonObject().put("name", "a").put("baseUrl", "http://b/v1"))))).hasMessageContaining("two providers are called a");
    assertThatThrownBy(() -> Settings.defaultsWith(Map.of("providers", new JsonArray()
        .add(new JsonObject().put("name", "x").put("baseUrl", "ftp://a"))))).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> Settings.defaultsWith(Map.of("providers", new JsonArray()
        .add(new JsonObject().put("name", "demo").put("baseUrl", "http://a/v1"))))).hasMessageContaining("name");
  }

  @Test
  void aBridgeOnAnAddressOthersReachNeedsAuthToo() {
    assertThatThrownBy(() -> Settings.defaultsWith(Map.of("PARLEY_BRIDGE_PORT", 7000, "PARLEY_BRIDGE_HOST", "0.0.0.0")).check())
        .hasMessageContaining("PARLEY_BRIDGE_HOST");
    Settings.defaultsWith(Map.of("PARLEY_BRIDGE_PORT", 7000, "PARLEY_BRIDGE_HOST", "0.0.0.0", "PARLEY_AUTH", "local")).check();
  }

  @Test
  void oidcNeedsAnIssuerAClientIdAndThePublicUrlAndSaysWhichIsMissing() {
    Map<String, Object> complete = Map.of(
        "PARLEY_AUTH", "oidc",
        "PARLEY_OIDC_ISSUER", "https://id.example.org/realms/acme/",
        "PARLEY_OIDC_CLIENT_ID", "parley",
        "PARLEY_OIDC_CLIENT_SECRET", "s3cr3t-client-secret",
        "PARLEY_PUBLIC_URL", "https://chat.example.org");
    Settings settings = Settings.defaultsWith(complete);
    settings.check();
    assertThat(settings.access().oidc().issuer()).isEqualTo("https://id.example.org/realms/acme");

    for (String missing : java.util.List.of("PARLEY_OIDC_ISSUER", "PARLEY_OIDC_CLIENT_ID", "PARLEY_PUBLIC_URL")) {
      Map<String, Object> without = new java.util.HashMap<>(complete);
      without.put(missing, "");
      assertThatThrownBy(() -> Settings.defaultsWith(without).check()).as(missing)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing);
    }
    Map<String, Object> notAUrl = new java.util.HashMap<>(complete);
    notAUrl.put("PARLEY_OIDC_ISSUER", "id.example.org");
    assertThatThrownBy(() -> Settings.defaultsWith(notAUrl).check()).hasMessageContaining("PARLEY_OIDC_ISSUER");
    // A public client (PKCE alone) has no secret.
    Map<String, Object> publicClient = new java.util.HashMap<>(complete);
    publicClient.put("PARLEY_OIDC_CLIENT_SECRET", "");
    Settings.defaultsWith(publicClient).check();
  }

  @Test
  void theClientSecretIsNeverPrinted() {
    Settings settings = Settings.defaultsWith(Map.of(
        "PARLEY_AUTH", "oidc",
        "PARLEY_OIDC_ISSUER", "https://id.example.org/realms/acme",
        "PARLEY_OIDC_CLIENT_ID", "parley",
        "PARLEY_OIDC_CLIENT_SECRET", "s3cr3t-client-secret",
        "PARLEY_OIDC_ADMIN_GROUP", "chat-admins",
        "PARLEY_PUBLIC_URL", "https://chat.example.org"));
    assertThat(settings.toString()).contains("https://id.example.org/realms/acme").contains("clientSecret=set")
        .contains("chat-admins").doesNotContain("s3cr3t");
    assertThat(settings.access().toString()).doesNotContain("s3cr3t");
  }
}
