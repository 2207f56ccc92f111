package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.RunningNode;

/**
 * Random bodies, ids and credentials thrown at the account routes of a node with accounts: never
 * a 5xx, and every refusal is JSON with {@code error.code} and {@code error.message}.
 */
class AccountsFuzzTest {
  private static final Set<Integer> ANSWERS = Set.of(200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 429);
  private static RunningNode shared;
  private static ApiClient admin;

  @BeforeContainer
  static void start() throws Exception {
    shared = RunningNode.start(Files.createTempDirectory("parley-accounts-fuzz"), Map.of("PARLEY_AUTH", "local", "PARLEY_SIGNUP", "open"));
    admin = ApiClient.signUp(shared.node(), "root", "correct horse battery");
  }

  @AfterContainer
  static void stop() {
    shared.close();
  }

  private static void assertAnswered(String what, Answer answer) {
    assertThat(answer.status()).as("%s: %s", what, answer).isLessThan(500).isIn(ANSWERS);
    if (answer.status() >= 400) {
      assertThat(answer.header("Content-Type")).as(what).startsWith("application/json");
      JsonObject error = answer.json().getJsonObject("error");
      assertThat(error.getString("code")).as(what).isNotBlank();
      assertThat(error.getString("message")).as(what).isNotBlank();
    }
  }

  @Property(tries = 250)
  void randomBodiesAtTheAccountRoutesNeverFailTheServer(@ForAll("routes") String route, @ForAll("bodies") String body) {
    // Sign-up and sign-in are open to all; tokens and users are asked of a signed-in admin.
    ApiClient caller = route.startsWith("/api/auth/") ? shared.anonymous() : admin;
    assertAnswered(route + " " + body, caller.post(route, body));
  }

  @Property(tries = 100)
  void randomIdsAtTheDeleteRoutesNeverFailTheServer(@ForAll("segments") String segment, @ForAll("deletes") String route) {
    String encoded = URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    Answer answer = admin.request(HttpMethod.DELETE, route + encoded, null);
    assertAnswered(route + encoded, answer);
    assertThat(answer.status()).isNotEqualTo(204);
  }

  @Property(tries = 150)
  void randomCredentialsNeverFailTheServer(@ForAll("credentialHeaders") Map.Entry<String, String> header) {
    Answer answer = shared.anonymous().request(HttpMethod.GET, "/api/me", null, header.getKey(), header.getValue());
    assertAnswered(header.toString(), answer);
    assertThat(answer.status()).as(header.toString()).isEqualTo(401);
  }

  @Provide
  Arbitrary<String> routes() {
    return Arbitraries.of("/api/auth/signup", "/api/auth/login", "/api/tokens", "/api/users");
  }

  @Provide
  Arbitrary<String> deletes() {
    return Arbitraries.of("/api/tokens/", "/api/users/");
  }

  @Provide
  Arbitrary<String> segments() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMinLength(1).ofMaxLength(80),
        Arbitraries.of("$where", "..", "{\"$ne\":null}", "%00", "null", "0", "x".repeat(300), "valid-id_1"));
  }

  @Provide
  Arbitrary<Map.Entry<String, String>> credentialHeaders() {
    Arbitrary<String> printable = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(120);
    Arbitrary<String> authorization = Arbitraries.oneOf(printable, printable.map(text -> "Bearer " + text),
        printable.map(text -> "Bearer parley_" + text), printable.map(text -> "bearer " + text), Arbitraries.of("Bearer", "Bearer ", "Basic"));
    Arbitrary<String> cookie = Arbitraries.oneOf(printable.map(text -> "parley_session=" + text), printable,
        Arbitraries.of("parley_session=", "parley_session", "parley_session=a; parley_session=b"));
    return Arbitraries.oneOf(
        authorization.map(value -> new AbstractMap.SimpleEntry<>("Authorization", value.strip())),
        cookie.map(value -> new AbstractMap.SimpleEntry<>("Cookie", value.strip())));
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<Object> text = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(40),
        Arbitraries.strings().ofMinLength(250).ofMaxLength(600),
        Arbitraries.of("root", "ROOT", "fuzz-user", "a", "ab", "correct horse battery", "admin", "user", "", "  ", "$where", "\u0000"))
        .map(Object.class::cast);
    Arbitrary<Object> scalar = Arbitraries.oneOf(text,
        Arbitraries.integers().map(Object.class::cast),
        Arbitraries.doubles().map(Object.class::cast),
        Arbitraries.of(true, false).map(Object.class::cast),
        Arbitraries.just(null));
    Arbitrary<Object> value = Arbitraries.oneOf(scalar,
        scalar.list().ofMaxSize(3).map(list -> (Object) new JsonArray(new ArrayList<>(list))),
        Combinators.combine(Arbitraries.of("$gt", "$ne", "x"), scalar).as((k, v) -> (Object) new JsonObject().put(k, v)));
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("username", "password", "name", "role"), Arbitraries.strings().ofMaxLength(10));
    Arbitrary<String> objects = Combinators.combine(key, value).as(AbstractMap.SimpleEntry::new).list().ofMaxSize(4).map(entries -> {
      JsonObject object = new JsonObject();
      entries.forEach(entry -> object.put(entry.getKey(), entry.getValue()));
      return object.encode();
    });
    Arbitrary<String> garbage = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(60),
        Arbitraries.of("[]", "null", "1", "\"x\"", "{", "{\"username\":", "[{\"username\":\"a\"}]", "{\"username\":\"ab\",\"password\":\"x\"}"));
    return Arbitraries.frequencyOf(Tuple.of(8, objects), Tuple.of(2, garbage));
  }
}
