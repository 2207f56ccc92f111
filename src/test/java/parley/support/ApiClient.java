package parley.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Someone calling the API of a node with accounts on ({@code PARLEY_AUTH=local}): nobody, a
 * signed-in browser (the {@code parley_session} cookie) or a script (a bearer token). Its calls
 * block until answered, so they are for a test's own thread, never an event loop.
 */
public final class ApiClient {
  public static final String SESSION_COOKIE = "parley_session";
  private static final long TIMEOUT_SECONDS = 15;

  /** An HTTP answer, read whole. */
  public record Answer(int status, MultiMap headers, Buffer body, List<String> cookies) {
    public JsonObject json() {
      return body == null ? null : new JsonObject(body);
    }

    public JsonArray array() {
      return body == null ? null : new JsonArray(body);
    }

    /** {@code error.code} of an error answer. */
    public String errorCode() {
      return json().getJsonObject("error").getString("code");
    }

    public String header(String name) {
      return headers.get(name);
    }

    /** The {@code Set-Cookie} line of that cookie, or null. */
    public String setCookie(String name) {
      return cookies.stream().filter(line -> line.startsWith(name + "=")).findFirst().orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + (body == null ? "" : body.toString());
    }
  }

  private final TestNode node;
  private final String sessionId;
  private final String token;
  private HttpClient http;

  private ApiClient(TestNode node, String sessionId, String token) {
    this.node = node;
    this.sessionId = sessionId;
    this.token = token;
  }

  /** No credentials at all. */
  public static ApiClient anonymous(TestNode node) {
    return new ApiClient(node, null, null);
  }

  public ApiClient withSession(String session) {
    return new ApiClient(node, session, null);
  }

  public ApiClient withToken(String bearer) {
    return new ApiClient(node, null, bearer);
  }

  public String sessionId() {
    return sessionId;
  }

  public String token() {
    return token;
  }

  /** Waits for the future, for at most 15 s. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  // ---- plain requests, with this client's credentials

  public Answer get(String uri, String... headers) {
    return request(HttpMethod.GET, uri, null, headers);
  }

  public Answer delete(String uri, String... headers) {
    return request(HttpMethod.DELETE, uri, null, headers);
  }

  /** POSTs a JSON value (object, array, or any text sent as it is) as application/json. */
  public Answer post(String uri, Object body, String... headers) {
    Buffer buffer = body == null ? null
        : body instanceof JsonObject object ? object.toBuffer()
        : body instanceof JsonArray array ? array.toBuffer()
        : Buffer.buffer(body.toString());
    String[] withType = new String[headers.length + 2];
    withType[0] = "Content-Type";
    withType[1] = "application/json";
    System.arraycopy(headers, 0, withType, 2, headers.length);
    return request(HttpMethod.POST, uri, buffer, withType);
  }

  /** PATCHes a JSON object as application/json. */
  public Answer patch(String uri, JsonObject body) {
    return request(HttpMethod.PATCH, uri, body.toBuffer(), "Content-Type", "application/json");
  }

  /** Any request; {@code headers} are name, value pairs and replace this client's own. */
  public Answer request(HttpMethod method, String uri, Buffer body, String... headers) {
    return await(requestAsync(method, uri, body, headers));
  }

  /** The same, without waiting: for an event loop (polling, say). */
  public Future<Answer> requestAsync(HttpMethod method, String uri, Buffer body, String... headers) {
    HttpRequest<Buffer> request = node.web().request(method, node.port(), "127.0.0.1", uri);
    credentials().forEach(request::putHeader);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return (body == null ? request.send() : request.sendBuffer(body)).map(ApiClient::answer);
  }

  /** An answer as read by the web client. */
  public static Answer answer(HttpResponse<Buffer> response) {
    return new Answer(response.statusCode(), response.headers(), response.body(), response.cookies());
  }

  /** The headers that carry this client's credentials. */
  public Map<String, String> credentials() {
    Map<String, String> headers = new HashMap<>();
    if (sessionId != null) {
      headers.put("Cookie", SESSION_COOKIE + "=" + sessionId);
    }
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    return headers;
  }

  // ---- accounts

  public static JsonObject credentialsBody(String username, String password) {
    return new JsonObject().put("username", username).put("password", password);
  }

  /** Signs up and expects 201: the new account's browser, signed in. */
  public static ApiClient signUp(TestNode node, String username, String password) {
    Answer answer = anonymous(node).post("/api/auth/signup", credentialsBody(username, password));
    return signedIn(node, answer, 201);
  }

  /** Signs in and expects 200: a browser signed in. */
  public static ApiClient logIn(TestNode node, String username, String password) {
    Answer answer = anonymous(node).post("/api/auth/login", credentialsBody(username, password));
    return signedIn(node, answer, 200);
  }

  private static ApiClient signedIn(TestNode node, Answer answer, int expected) {
    if (answer.status() != expected) {
      throw new AssertionError("expected " + expected + ", got " + answer);
    }
    return anonymous(node).withSession(sessionOf(answer));
  }

  /** The session id an answer set as the cookie, or null. */
  public static String sessionOf(Answer answer) {
    String line = answer.setCookie(SESSION_COOKIE);
    if (line == null) {
      return null;
    }
    int end = line.indexOf(';');
    return line.substring(SESSION_COOKIE.length() + 1, end < 0 ? line.length() : end);
  }

  /** An admin makes an account (expects 201); answers its user JSON. */
  public JsonObject createUser(String username, String password, String role) {
    JsonObject body = credentialsBody(username, password);
    if (role != null) {
      body.put("role", role);
    }
    return expect(post("/api/users", body), 201).getJsonObject("user");
  }

  /** GET /api/me, expecting 200. */
  public JsonObject me() {
    return expect(get("/api/me"), 200);
  }

  public String userId() {
    return me().getJsonObject("user").getString("id");
  }

  /** A new API token of this client's user (expects 201): the whole answer, secret included. */
  public JsonObject createToken(String name) {
    return expect(post("/api/tokens", new JsonObject().put("name", name)), 201);
  }

  /** A script acting with a new API token of this client's user. */
  public ApiClient script(String tokenName) {
    return withToken(createToken(tokenName).getString("token"));
  }

  // ---- chats

  public Answer trySend(String chatId, String content) {
    return await(trySendAsync(chatId, content));
  }

  public Future<Answer> trySendAsync(String chatId, String content) {
    return requestAsync(HttpMethod.POST, "/api/messages", new JsonObject().put("chatId", chatId).put("content", content).toBuffer(),
        "Content-Type", "application/json");
  }

  /** Sends a body of one's own (parentId, model…) and expects 201: answers {message, reply}. */
  public JsonObject send(JsonObject body) {
    return expect(post("/api/messages", body), 201);
  }

  /** Asks for a new version of a bot reply and expects 201: answers {reply}. */
  public JsonObject regenerate(String replyId, JsonObject body) {
    return expect(post("/api/messages/" + replyId + "/regenerate", body), 201);
  }

  /** The chat's path through {@code via}, as GET /api/messages/:chatId?via= answers it. */
  public JsonArray historyVia(String chatId, String via) {
    Answer answer = get("/api/messages/" + chatId + "?via=" + via);
    if (answer.status() != 200) {
      throw new AssertionError("history of " + chatId + " via " + via + ": " + answer);
    }
    return answer.array();
  }

  /** Sends and expects 201: answers {message, reply}. */
  public JsonObject send(String chatId, String content) {
    return expect(trySend(chatId, content), 201);
  }

  public JsonArray history(String chatId) {
    Answer answer = get("/api/messages/" + chatId);
    if (answer.status() != 200) {
      throw new AssertionError("history of " + chatId + ": " + answer);
    }
    return answer.array();
  }

  /** The ids of the chats GET /api/chats lists. */
  public List<String> chatIds() {
    Answer answer = get("/api/chats");
    if (answer.status() != 200) {
      throw new AssertionError("chats: " + answer);
    }
    return answer.array().stream().map(chat -> ((JsonObject) chat).getString("chatId")).toList();
  }

  /** Watches the chat's reply over SSE with this client's credentials. */
  public Future<SseCapture> stream(String chatId) {
    if (http == null) {
      http = node.vertx().createHttpClient();
    }
    return SseCapture.open(http, node.port(), chatId, null, credentials());
  }

  /** Every event of the chat's latest reply, once it has ended. */
  public List<SseCapture.Event> replyEnded(String chatId) {
    SseCapture capture = await(stream(chatId));
    if (capture.status() != 200) {
      throw new AssertionError("no reply to watch in " + chatId + ": " + capture.status());
    }
    return await(capture.done());
  }

  /** The answer's JSON object, once its status is the one expected. */
  public static JsonObject expect(Answer answer, int status) {
    if (answer.status() != status) {
      throw new AssertionError("expected " + status + ", got " + answer);
    }
    return answer.body() == null || answer.body().length() == 0 ? null : answer.json();
  }
}
