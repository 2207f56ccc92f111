package parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.CuttableProxy;
import parley.support.FakeUpstream;
import parley.support.FakeUpstream.Script;
import parley.support.Poll;

/**
 * The packaged jar, run as a person runs it, driven in a real Chromium by webroot/e2e (node's test
 * runner with playwright-core), with the in-test upstream as its model.
 */
class BrowserE2EIT {
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

  @TempDir Path dataDir;
  private Vertx vertx;
  private Process parley;

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

  @Test
  void chatInTheBrowserAcrossTwoWindowsStopAndReload() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
    Path jar = Path.of("target", "parley.jar");
    assertThat(jar).as("mvn package builds the jar before the integration tests").exists();

    vertx = Vertx.vertx();
    FakeUpstream upstream = FakeUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    upstream.script(Script.echo(40));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder node = new ProcessBuilder(javaBinary(), "-jar", jar.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("parley.log").toFile());
    node.environment().put("PARLEY_HTTP_HOST", "127.0.0.1");
    node.environment().put("PARLEY_HTTP_PORT", String.valueOf(port));
    node.environment().put("PARLEY_DATA_DIR", dataDir.resolve("data").toString());
    node.environment().put("PARLEY_LLM_BASE_URL", upstream.baseUrl());
    parley = node.start();
    awaitUp(port);
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
    ProcessBuilder e2e = new ProcessBuilder("node", "--test", "--test-reporter=spec", "e2e/")
        .directory(new File("webroot"))
        .redirectErrorStream(true);
    e2e.environment().put("PARLEY_URL", "http://127.0.0.1:" + proxy.port());
    e2e.environment().put("PARLEY_CUT_URL", "http://127.0.0.1:" + controlPort + "/cut");
    e2e.environment().put("PARLEY_SCREENSHOT", screenshot.toString());
    e2e.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
    Process run = e2e.start();
    String output = new String(run.getInputStream().readAllBytes());
    boolean finished = run.waitFor(5, TimeUnit.MINUTES);
    System.out.println(output);
    assertThat(finished).as("browser tests finished in time").isTrue();
    assertThat(run.exitValue()).as("browser tests:\n" + output + "\nParley log:\n" + Files.readString(dataDir.resolve("parley.log"))).isZero();
    assertThat(output).contains("pass 5").contains("fail 0");
    assertThat(screenshot).exists();
  }

  private void awaitUp(int port) throws Exception {
    WebClient web = WebClient.create(vertx);
    Poll.until(vertx, () -> web.get(port, "127.0.0.1", "/api/chats").send().map(r -> r.statusCode() == 200), up -> up && parley.isAlive(), 60_000)
        .await(70, TimeUnit.SECONDS);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

}
