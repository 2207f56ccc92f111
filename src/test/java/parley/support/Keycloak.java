package parley.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak (the distribution Maven unpacked under target/keycloak, see pom.xml), started in
 * {@code start-dev} on a free loopback port and set up through its admin REST API: realm
 * {@code parley}; the confidential client {@code parley} (PKCE S256 required, a {@code groups}
 * claim of plain group names); the service clients {@code parley-service} (its tokens name
 * {@code parley} in {@code aud}) and {@code other-service} (theirs do not); the group
 * {@code parley-admins}; and people with complete profiles, so that no required action stands
 * between their password and Parley.
 *
 * <p>Started once per test run by {@link WithKeycloak}. Keycloak needs Java 21+:
 * {@code keycloak.java.home} (pom.xml), else this JVM if it is new enough.
 */
public final class Keycloak implements AutoCloseable {
  public static final String REALM = "parley";
  public static final String CLIENT_ID = "parley";
  public static final String CLIENT_SECRET = "parley-client-secret-for-tests";
  public static final String SERVICE_CLIENT = "parley-service";
  public static final String OTHER_CLIENT = "other-service";
  public static final String SERVICE_SECRET = "service-secret-for-tests";
  public static final String ADMIN_GROUP = "parley-admins";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  /** Someone with an account at the provider. */
  public record Person(String username, String password, String firstName, String lastName, boolean admin) {
    JsonObject toJson() {
      return new JsonObject()
          .put("username", username)
          .put("email", username + "@example.org")
          .put("firstName", firstName)
          .put("lastName", lastName)
          .put("emailVerified", true)
          .put("enabled", true)
          .put("credentials", new JsonArray().add(new JsonObject().put("type", "password").put("value", password).put("temporary", false)))
          .put("groups", admin ? new JsonArray().add("/" + ADMIN_GROUP) : new JsonArray());
    }
  }

  public static final Person ANNA = new Person("anna", "anna-password-1", "Anna", "Admin", true);
  public static final Person BEN = new Person("ben", "ben-password-1", "Ben", "User", false);
  public static final Person CARL = new Person("carl", "carl-password-1", "Carl", "User", false);

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private int rotations;

  private Keycloak(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Why Keycloak cannot run here (no distribution, no Java 21+), or empty when it can. */
  public static Optional<String> unavailable() {
    if (!Files.isRegularFile(home().resolve("bin/kc.sh"))) {
      return Optional.of("no Keycloak at " + home() + ": mvn verify unpacks it there (pre-integration-test)");
    }
    return javaHome().isPresent() ? Optional.empty()
        : Optional.of("Keycloak needs Java 21+: none at keycloak.java.home (" + System.getProperty("keycloak.java.home")
            + ") and this JVM is " + Runtime.version().feature());
  }

  static Path home() {
    return Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.5.6"));
  }

  private static Optional<Path> javaHome() {
    String configured = System.getProperty("keycloak.java.home", "");
    if (!configured.isEmpty() && Files.isExecutable(Path.of(configured, "bin", "java"))) {
      return Optional.of(Path.of(configured));
    }
    return Runtime.version().feature() >= 21 ? Optional.of(Path.of(System.getProperty("java.home"))) : Optional.empty();
  }

  /** Starts Keycloak from a fresh database and sets up the realm; waits until it answers. */
  public static Keycloak start() throws Exception {
    Path home = home().toAbsolutePath();
    deleteRecursively(home.resolve("data"));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
        "--http-port", String.valueOf(port), "--http-host", "127.0.0.1")
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("keycloak.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", javaHome().orElseThrow().toString());
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
    // Frugal on a shared machine; plenty for a few test users.
    env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
    long started = System.nanoTime();
    Keycloak keycloak = new Keycloak(builder.start(), port);
    try {
      keycloak.awaitUp();
      keycloak.setUp();
    } catch (Exception | AssertionError e) {
      keycloak.close();
      throw e;
    }
    System.out.printf("Keycloak up and set up in %d s on port %d%n", (System.nanoTime() - started) / 1_000_000_000, port);
    return keycloak;
  }

  private void awaitUp() throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("Keycloak exited (" + process.exitValue() + "): see " + home().resolve("keycloak.log"));
      }
      try {
        if (get(base() + "/realms/master/.well-known/openid-configuration").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Keycloak did not answer within " + START_TIMEOUT + ": see " + home().resolve("keycloak.log"));
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  public String issuer() {
    return base() + "/realms/" + REALM;
  }

  private void setUp() throws Exception {
    admin("POST", "/admin/realms", new JsonObject().put("realm", REALM).put("enabled", true));
    admin("POST", realmPath("/clients"), new JsonObject()
        .put("clientId", CLIENT_ID)
        .put("enabled", true)
        .put("protocol", "openid-connect")
        .put("publicClient", false)
        .put("clientAuthenticatorType", "client-secret")
        .put("secret", CLIENT_SECRET)
        .put("standardFlowEnabled", true)
        .put("directAccessGrantsEnabled", false)
        .put("redirectUris", new JsonArray())
        .put("attributes", new JsonObject().put("pkce.code.challenge.method", "S256").put("post.logout.redirect.uris", ""))
        .put("protocolMappers", new JsonArray().add(new JsonObject()
            .put("name", "groups")
            .put("protocol", "openid-connect")
            .put("protocolMapper", "oidc-group-membership-mapper")
            .put("config", new JsonObject()
                .put("claim.name", "groups")
                .put("full.path", "false")
                .put("id.token.claim", "true")
                .put("access.token.claim", "true")
                .put("userinfo.token.claim", "true")))));
    admin("POST", realmPath("/clients"), serviceClient(SERVICE_CLIENT).put("protocolMappers", new JsonArray().add(new JsonObject()
        .put("name", "parley-audience")
        .put("protocol", "openid-connect")
        .put("protocolMapper", "oidc-audience-mapper")
        .put("config", new JsonObject()
            .put("included.client.audience", CLIENT_ID)
            .put("access.token.claim", "true")
            .put("id.token.claim", "false")))));
    admin("POST", realmPath("/clients"), serviceClient(OTHER_CLIENT));
    admin("POST", realmPath("/groups"), new JsonObject().put("name", ADMIN_GROUP));
    for (Person person : List.of(ANNA, BEN, CARL)) {
      admin("POST", realmPath("/users"), person.toJson());
    }
  }

  private static JsonObject serviceClient(String clientId) {
    return new JsonObject()
        .put("clientId", clientId)
        .put("enabled", true)
        .put("protocol", "openid-connect")
        .put("publicClient", false)
        .put("clientAuthenticatorType", "client-secret")
        .put("secret", SERVICE_SECRET)
        .put("serviceAccountsEnabled", true)
        .put("standardFlowEnabled", false)
        .put("directAccessGrantsEnabled", false);
  }

  /** Lets the client {@code parley} send people back to a Parley reached at {@code publicUrl} (and there after logout). */
  public void allowParleyAt(String publicUrl) throws Exception {
    JsonArray found = new JsonArray(admin("GET", realmPath("/clients?clientId=" + CLIENT_ID), null));
    JsonObject client = found.getJsonObject(0);
    JsonArray redirects = client.getJsonArray("redirectUris", new JsonArray());
    redirects.add(publicUrl + "/auth/callback");
    JsonObject attributes = client.getJsonObject("attributes", new JsonObject());
    String logout = attributes.getString("post.logout.redirect.uris", "");
    attributes.put("post.logout.redirect.uris", (logout.isEmpty() ? "" : logout + "##") + publicUrl + "/");
    admin("PUT", realmPath("/clients/" + client.getString("id")), client.put("redirectUris", redirects).put("attributes", attributes));
  }

  /**
   * Rotates the realm's signing keys as an operator would: a new RSA key of a higher priority
   * signs every token from now on (the old one stays published for tokens already out).
   */
  public void rotateKeys() throws Exception {
    String realmId = new JsonObject(admin("GET", realmPath(""), null)).getString("id");
    admin("POST", realmPath("/components"), new JsonObject()
        .put("name", "rotated-" + System.nanoTime())
        .put("providerId", "rsa-generated")
        .put("providerType", "org.keycloak.keys.KeyProvider")
        .put("parentId", realmId)
        .put("config", new JsonObject()
            .put("priority", new JsonArray().add(String.valueOf(1000 + ++rotations)))
            .put("enabled", new JsonArray().add("true"))
            .put("active", new JsonArray().add("true"))
            .put("algorithm", new JsonArray().add("RS256"))));
  }

  /** A client-credentials access token of that client (its service account). */
  public String serviceToken(String clientId) throws Exception {
    HttpResponse<String> answer = post(issuer() + "/protocol/openid-connect/token",
        Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", SERVICE_SECRET));
    if (answer.statusCode() != 200) {
      throw new AssertionError("no token for " + clientId + ": " + answer.statusCode() + " " + answer.body());
    }
    return new JsonObject(answer.body()).getString("access_token");
  }

  /**
   * Signs {@code person} in on Keycloak's own login page, as a browser would: follows
   * {@code authorizeUrl}, fills the form, and returns where Keycloak sends the browser back (the
   * callback URL with its code and state).
   */
  public String signIn(String authorizeUrl, Person person) throws Exception {
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).GET().build(), HttpResponse.BodyHandlers.ofString());
    Matcher form = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL).matcher(page.body());
    if (page.statusCode() != 200 || !form.find()) {
      throw new AssertionError("no login form at " + authorizeUrl + ": " + page.statusCode() + " " + page.body());
    }
    // The login page's cookies go back with the form, as a browser's would (whatever their Secure flag says over http).
    String cookies = page.headers().allValues("Set-Cookie").stream().map(line -> line.split(";", 2)[0]).collect(Collectors.joining("; "));
    String action = form.group(1).replace("&amp;", "&");
    HttpResponse<String> answer = post(http, action, Map.of("username", person.username(), "password", person.password(), "credentialId", ""),
        "Cookie", cookies);
    String location = answer.headers().firstValue("Location").orElse(null);
    if (answer.statusCode() != 302 || location == null) {
      Matcher error = Pattern.compile("id=\"input-error[^>]*>([^<]*)<|kc-feedback-text[^>]*>([^<]*)<").matcher(answer.body());
      throw new AssertionError("the login form did not send " + person.username() + " back: " + answer.statusCode() + " "
          + (error.find() ? error.group() : answer.body()));
    }
    return location;
  }

  private String realmPath(String path) {
    return "/admin/realms/" + REALM + path;
  }

  private String admin(String method, String path, JsonObject body) throws Exception {
    HttpResponse<String> token = post(base() + "/realms/master/protocol/openid-connect/token",
        Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"));
    String bearer = new JsonObject(token.body()).getString("access_token");
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
        .header("Authorization", "Bearer " + bearer)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() >= 300) {
      throw new AssertionError(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
    }
    return answer.body();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
    return post(http, url, form);
  }

  private static HttpResponse<String> post(HttpClient client, String url, Map<String, String> form, String... headers) throws Exception {
    String body = form.entrySet().stream()
        .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
