package parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    Settings settings = Settings.fromJson(json);
    assertThat(settings.httpPort()).isEqualTo(9090);
    assertThat(settings.cluster()).isTrue();
    assertThat(settings.llmBaseUrl()).isEqualTo("http://x/v1");
    assertThatThrownBy(() -> Settings.overlay(Settings.shippedDefaults(), Map.of("PARLEY_HTTP_PORT", "eighty")))
        .hasMessageContaining("PARLEY_HTTP_PORT");
  }

  @Test
  void printedFormHidesTheKeyAndMongoPassword() {
    Settings settings = Settings.defaultsWith(Map.of(
        "PARLEY_LLM_API_KEY", "sk-very-secret", "PARLEY_MONGO_URI", "mongodb://user:pw@db:27017", "PARLEY_LLM_BASE_URL", "http://x/v1"));
    assertThat(settings.toString()).doesNotContain("sk-very-secret").doesNotContain("pw@").contains("apiKey=set");
  }
}
