package parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import parley.support.CuttableProxy;
import parley.support.FakeUpstream;
import parley.support.FakeUpstream.Script;
import parley.support.Keycloak;
import parley.support.Poll;
import parley.support.WithKeycloak;

/**
 * The packaged jar, run as a person runs it, driven in a real Chromium by webroot/e2e (node's test
 * runner with playwright-core), with the in-test upstream as its model. Each test starts its own
 * jar (own port, own data directory) and runs one file of webroot/e2e against it.
 */
class BrowserE2EIT {
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

  @TempDir Path dataDir;
  private Vertx vertx;
  private FakeUpstream upstream;
  private Process parley;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
    assertThat(jar()).as("mvn package builds the jar before the integration tests").exists();
    vertx = Vertx.vertx();
    upstream = FakeUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    upstream.script(Script.echo(40));
  }

  @AfterEach
  void stop() throws Exception {
    if (parley != null) {
      parley.destroy();
      parley.waitFor(15, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** PARLEY_AUTH unset on loopback: the one-user app, as {@code java -jar parley.jar} runs it. */
  @Test
  void chatInTheBrowserAcrossTwoWindowsStopAndReload() throws Exception {
    int port = startParley(Map.of());
    // The browser reaches Parley through a proxy that the browser test can cut, to drop its streams.
    CuttableProxy proxy = CuttableProxy.start(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    int controlPort = vertx.createHttpServer()
        .requestHandler(request -> {
          proxy.cut();
          vertx.setTimer(300, id -> proxy.restore());
          request.response().end();
        })
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();

    Path screenshot = Path.of("docs", "parley-two-windows.png").toAbsolutePath();
    runBrowserTests("e2e/chat.e2e.test.mjs", Map.of(
        "PARLEY_URL", "http://127.0.0.1:" + proxy.port(),
        "PARLEY_CUT_URL", "http://127.0.0.1:" + controlPort + "/cut",
        "PARLEY_SCREENSHOT", screenshot.toString()), 6);
    assertThat(screenshot).exists();
  }

  /** PARLEY_AUTH=local from a fresh data directory: first run, the admin, a second user, tokens. */
  @Test
  void accountsInTheBrowserFromFirstRunToSignOut() throws Exception {
    int port = startParley(Map.of("PARLEY_AUTH", "local"));
    Path screenshot = Path.of("docs", "parley-accounts.png").toAbsolutePath();
    runBrowserTests("e2e/accounts.e2e.test.mjs", Map.of(
        "PARLEY_URL", "http://127.0.0.1:" + port,
        "PARLEY_SCREENSHOT", screenshot.toString()), 10);
    assertThat(screenshot).exists();
    assertThat(Files.size(screenshot)).as("the README's screenshot stays small").isLessThan(300_000);
  }

  /**
   * PARLEY_AUTH=oidc with a real Keycloak: a person signs in on Keycloak's form and chats; a second
   * person, of the admin group, is an admin and sees none of the first one's chats.
   */
  @Test
  @ExtendWith(WithKeycloak.class)
  void signInThroughKeycloakInTheBrowser(Keycloak keycloak) throws Exception {
    int port = freePort();
    String publicUrl = "http://127.0.0.1:" + port;
    keycloak.allowParleyAt(publicUrl);
    startParley(port, Map.of(
        "PARLEY_AUTH", "oidc",
        "PARLEY_OIDC_ISSUER", keycloak.issuer(),
        "PARLEY_OIDC_CLIENT_ID", Keycloak.CLIENT_ID,
        "PARLEY_OIDC_CLIENT_SECRET", Keycloak.CLIENT_SECRET,
        "PARLEY_OIDC_ADMIN_GROUP", Keycloak.ADMIN_GROUP,
        "PARLEY_PUBLIC_URL", publicUrl));
    runBrowserTests("e2e/oidc.e2e.test.mjs", Map.of(
        "PARLEY_URL", publicUrl,
        "KEYCLOAK_URL", keycloak.base(),
        "OIDC_USER", Keycloak.BEN.username() + ":" + Keycloak.BEN.password(),
        "OIDC_ADMIN", Keycloak.ANNA.username() + ":" + Keycloak.ANNA.password()), 6);
  }

  /**
   * Three models side by side: the PARLEY_LLM_* one, {@code alpha} fixed to one model, and
   * {@code beta}, which lists its own and takes its key from the environment; each answers in its
   * own words. Regenerate, edit, the switcher, Send to all windows and settings across a reload.
   */
  @Test
  void branchesModelsAndSettingsInTheBrowser() throws Exception {
    FakeUpstream alpha = FakeUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    alpha.script(Script.echoAs("Alpha heard: ", 40));
    FakeUpstream beta = FakeUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    beta.script(Script.echoAs("Beta heard: ", 40));
    beta.models(List.of("echo-large", "echo-small"));
    JsonObject config = new JsonObject().put("providers", new JsonArray()
        .add(new JsonObject().put("name", "alpha").put("baseUrl", alpha.baseUrl()).put("models", new JsonArray().add("echo-fast")))
        .add(new JsonObject().put("name", "beta").put("baseUrl", beta.baseUrl()).put("apiKeyEnv", "BETA_KEY")));
    Files.createDirectories(dataDir.resolve("conf"));
    Files.writeString(dataDir.resolve("conf").resolve("config.json"), config.encodePrettily());
    int port = startParley(Map.of("BETA_KEY", "sk-beta-e2e"), dataDir);
    Path switcher = Path.of("docs", "parley-switcher.png").toAbsolutePath();
    Path threeModels = Path.of("docs", "parley-three-models.png").toAbsolutePath();
    runBrowserTests("e2e/trees.e2e.test.mjs", Map.of(
        "PARLEY_URL", "http://127.0.0.1:" + port,
        "PARLEY_SWITCHER_SCREENSHOT", switcher.toString(),
        "PARLEY_MODELS_SCREENSHOT", threeModels.toString()), 5);
    assertThat(switcher).exists();
    assertThat(threeModels).exists();
    assertThat(beta.authorizations()).isNotEmpty().allMatch("Bearer sk-beta-e2e"::equals);
  }

  /**
   * Reading and keeping chats: highlighted code with its Copy button and KaTeX math (the
   * screenshot), the view while a reply streams, the Ctrl+K search, the keyboard shortcuts, export
   * and import, a chat of 2,000 messages (its render and scroll figures printed) and a search into it.
   */
  @Test
  void readingSearchingAndKeepingChatsInTheBrowser() throws Exception {
    int port = startParley(Map.of());
    Path screenshot = Path.of("docs", "parley-code-math.png").toAbsolutePath();
    runBrowserTests("e2e/reading.e2e.test.mjs", Map.of(
        "PARLEY_URL", "http://127.0.0.1:" + port,
        "PARLEY_SCREENSHOT", screenshot.toString()), 8);
    assertThat(screenshot).exists();
  }

  /** Starts the jar on a free loopback port with its own data directory, the fake model and {@code env}. */
  private int startParley(Map<String, String> env) throws Exception {
    return startParley(freePort(), env, null);
  }

  /** The same, run from {@code workingDir} (where its conf/config.json is read). */
  private int startParley(Map<String, String> env, Path workingDir) throws Exception {
    return startParley(freePort(), env, workingDir);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private int startParley(int port, Map<String, String> env) throws Exception {
    return startParley(port, env, null);
  }

  /** Starts the jar on {@code port}, from {@code workingDir} when one is given (where its conf/config.json is read). */
  private int startParley(int port, Map<String, String> env, Path workingDir) throws Exception {
    ProcessBuilder node = new ProcessBuilder(javaBinary(), "-jar", jar().toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("parley.log").toFile());
    if (workingDir != null) {
      node.directory(workingDir.toFile());
    }
    node.environment().put("PARLEY_HTTP_HOST", "127.0.0.1");
    node.environment().put("PARLEY_HTTP_PORT", String.valueOf(port));
    node.environment().put("PARLEY_DATA_DIR", dataDir.resolve("data").toString());
    node.environment().put("PARLEY_LLM_BASE_URL", upstream.baseUrl());
    node.environment().putAll(env);
    parley = node.start();
    // /api/auth/config answers 200 in every mode, signed in or not.
    WebClient web = WebClient.create(vertx);
    int listening = port;
    Poll.until(vertx, () -> web.get(listening, "127.0.0.1", "/api/auth/config").send().map(r -> r.statusCode() == 200),
            up -> up && parley.isAlive(), 60_000)
        .await(70, TimeUnit.SECONDS);
    return port;
  }

  /** Runs one file of webroot/e2e with node's test runner and checks that all {@code tests} of it passed. */
  private void runBrowserTests(String file, Map<String, String> env, int tests) throws Exception {
    ProcessBuilder e2e = new ProcessBuilder("node", "--test", "--test-reporter=spec", file)
        .directory(new File("webroot"))
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("e2e.log").toFile());
    e2e.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
    e2e.environment().putAll(env);
    Process run = e2e.start();
    boolean finished = run.waitFor(3, TimeUnit.MINUTES);
    if (!finished) {
      run.descendants().forEach(ProcessHandle::destroyForcibly);
      run.destroyForcibly();
    }
    String output = Files.readString(dataDir.resolve("e2e.log"));
    System.out.println(output);
    String logs = "browser tests:\n" + output + "\nParley log:\n" + Files.readString(dataDir.resolve("parley.log"));
    assertThat(finished).as("browser tests finished in time; " + logs).isTrue();
    assertThat(run.exitValue()).as(logs).isZero();
    assertThat(output).as(logs).contains("pass " + tests + "\n").contains("fail 0\n");
  }

  private static Path jar() {
    return Path.of("target", "parley.jar").toAbsolutePath();
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
