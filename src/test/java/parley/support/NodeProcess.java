package parley.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Parley node in a process of its own (the test classpath's parley.Main, with conf/jvm.options),
 * for kill and signal tests.
 */
public final class NodeProcess {
  /** The java argument file of the repository (tests run from its root). */
  private static final Path JVM_OPTIONS = Path.of("conf", "jvm.options");

  private final Process process;
  private final int port;
  private final Path log;

  private NodeProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts it on a free loopback port and completes once it answers HTTP. */
  public static Future<NodeProcess> start(Vertx vertx, Path dataDir, Map<String, String> env) {
    try {
      int port = freePort();
      Path log = dataDir.resolve("node-" + port + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      // With the JVM options the README runs Parley with, so a flag this JDK refuses fails here first.
      ProcessBuilder builder = new ProcessBuilder(List.of(java, "@" + JVM_OPTIONS.toAbsolutePath(), "-cp",
              System.getProperty("java.class.path"), "parley.Main"))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      Map<String, String> settings = new HashMap<>(env);
      settings.put("PARLEY_HTTP_HOST", "127.0.0.1");
      settings.put("PARLEY_HTTP_PORT", String.valueOf(port));
      settings.put("PARLEY_DATA_DIR", dataDir.toString());
      builder.environment().putAll(settings);
      NodeProcess node = new NodeProcess(builder.start(), port, log);
      WebClient web = WebClient.create(vertx);
      return Poll.until(vertx, () -> web.get(port, "127.0.0.1", "/api/chats").send().map(r -> r.statusCode() == 200),
              up -> up || !node.process.isAlive(), 60_000)
          .compose(up -> node.process.isAlive() ? Future.succeededFuture(node)
              : Future.failedFuture(new AssertionError("the node exited: " + node.log())))
          .andThen(done -> web.close());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  public int port() {
    return port;
  }

  /** SIGKILL: no shutdown hook runs. Completes when the process is gone. */
  public Future<Integer> kill(Vertx vertx) {
    process.destroyForcibly();
    return vertx.executeBlocking(process::waitFor);
  }

  /** SIGTERM, as a service manager stops it. Completes with whether it exited within the time given. */
  public Future<Boolean> terminate(Vertx vertx, long seconds) {
    process.destroy();
    return vertx.executeBlocking(() -> process.waitFor(seconds, TimeUnit.SECONDS));
  }

  public void forceStop() {
    process.destroyForcibly();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
