package parley.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;
import parley.support.SseCapture;

/**
 * The TCP bridge with {@code PARLEY_AUTH=local}: a frame acts only with a valid API token in
 * {@code headers.authorization}, as that token's user, under the same ownership rules as HTTP.
 */
class BridgeAuthTest {
  private static final String PASSWORD = "correct horse battery";

  private static RunningNode shared;
  private static int bridgePort;
  private static ApiClient admin;
  private static ApiClient alice;
  private static ApiClient bob;

  @BeforeAll
  static void start(@TempDir Path dataDir) {
    bridgePort = BridgeClient.freePort();
    shared = RunningNode.start(dataDir, Map.of("PARLEY_AUTH", "local", "PARLEY_SIGNUP", "open", "PARLEY_BRIDGE_PORT", bridgePort));
    admin = ApiClient.signUp(shared.node(), "root", PASSWORD);
    alice = ApiClient.signUp(shared.node(), "alice", PASSWORD);
    bob = ApiClient.signUp(shared.node(), "bob", PASSWORD);
  }

  @AfterAll
  static void stop() {
    shared.close();
  }

  /** A bridge client on a context of its own: every use of it goes through that context. */
  private static final class Bridge implements AutoCloseable {
    private final Context context;
    private final BridgeClient client;

    private Bridge(Context context, BridgeClient client) {
      this.context = context;
      this.client = client;
    }

    static Bridge connect() {
      Context context = shared.node().vertx().getOrCreateContext();
      Promise<BridgeClient> connected = Promise.promise();
      context.runOnContext(v -> BridgeClient.connect(shared.node().vertx(), bridgePort).onComplete(connected));
      return new Bridge(context, ApiClient.await(connected.future()));
    }

    private <T> T on(Supplier<Future<T>> action) {
      Promise<T> done = Promise.promise();
      context.runOnContext(v -> action.get().onComplete(done));
      return ApiClient.await(done.future());
    }

    void write(JsonObject frame) {
      on(() -> {
        client.write(frame);
        return Future.succeededFuture();
      });
    }

    /** Writes the frame, and waits for the first frame after it that matches. */
    JsonObject exchange(JsonObject frame, Predicate<JsonObject> answer) {
      return on(() -> {
        Future<JsonObject> next = client.nextFrame(answer);
        client.write(frame);
        return next;
      });
    }

    /** The answer to a send with a reply address: its reply or its failure. */
    JsonObject request(String address, JsonObject body, String token) {
      String replyAddress = "reply-" + System.nanoTime();
      return exchange(frame("send", address, body, token).put("replyAddress", replyAddress),
          f -> replyAddress.equals(f.getString("address")));
    }

    /** The answer to a frame that asks for none: only an error frame says anything. */
    JsonObject refusal(JsonObject frame) {
      return exchange(frame, f -> "err".equals(f.getString("type")));
    }

    /** The first frame (arrived already or to come) that matches. */
    JsonObject await(Predicate<JsonObject> matching) {
      return on(() -> client.frame(matching));
    }

    List<JsonObject> received() {
      return on(() -> Future.succeededFuture(new ArrayList<>(client.received)));
    }

    @Override
    public void close() {
      on(() -> client.socket.close());
    }
  }

  private static JsonObject frame(String type, String address, JsonObject body, String token) {
    JsonObject frame = new JsonObject().put("type", type).put("address", address);
    if (body != null) {
      frame.put("body", body);
    }
    if (token != null) {
      frame.put("headers", new JsonObject().put("authorization", "Bearer " + token));
    }
    return frame;
  }

  private static JsonObject message(String chatId, String content) {
    return new JsonObject().put("chatId", chatId).put("content", content);
  }

  private static Predicate<JsonObject> endOf(String chatId) {
    return f -> ("parley.chat." + chatId + ".events").equals(f.getString("address")) && f.getJsonObject("body") != null
        && "end".equals(f.getJsonObject("body").getString("type"));
  }

  private static void assertFailure(JsonObject answer, int code, String messageStart) {
    assertThat(answer.getString("type")).as(answer.encode()).isEqualTo("err");
    assertThat(answer.getInteger("failureCode")).as(answer.encode()).isEqualTo(code);
    assertThat(answer.getString("message")).startsWith(messageStart);
  }

  @Test
  void aFrameWithoutAValidTokenIsRefusedAndDoesNothing() {
    shared.upstream().script(Script.tokens(List.of("ok"), 1));
    int modelCalls = shared.upstream().requests().size();
    try (Bridge bridge = Bridge.connect()) {
      assertFailure(bridge.request("parley.messages.send", message("unclaimed", "hi"), null), 401, "unauthenticated");
      assertFailure(bridge.request("parley.messages.send", message("unclaimed", "hi"), "parley_no-such-token"), 401, "unauthenticated");
      assertFailure(bridge.request("parley.messages.send", message("unclaimed", "hi"), alice.sessionId()), 401, "unauthenticated");
      JsonObject basic = frame("send", "parley.messages.send", message("unclaimed", "hi"), null).put("replyAddress", "basic")
          .put("headers", new JsonObject().put("authorization", "Basic YWxpY2U6cGFzc3dvcmQ="));
      assertFailure(bridge.exchange(basic, f -> "basic".equals(f.getString("address"))), 401, "unauthenticated");
      JsonObject notText = frame("send", "parley.messages.send", message("unclaimed", "hi"), null).put("replyAddress", "num")
          .put("headers", new JsonObject().put("authorization", 42));
      assertFailure(bridge.exchange(notText, f -> "num".equals(f.getString("address"))), 401, "unauthenticated");
      assertFailure(bridge.request("parley.chats.list", new JsonObject(), null), 401, "unauthenticated");

      assertThat(bridge.refusal(frame("register", "parley.chat.unclaimed.events", null, null)))
          .isEqualTo(new JsonObject().put("type", "err").put("message", "unauthenticated"));
      assertThat(bridge.refusal(frame("publish", "parley.chat.unclaimed.terminate", new JsonObject(), "parley_no-such-token")))
          .isEqualTo(new JsonObject().put("type", "err").put("message", "unauthenticated"));
      assertThat(bridge.refusal(frame("send", "parley.messages.send", message("unclaimed", "hi"), null)))
          .isEqualTo(new JsonObject().put("type", "err").put("message", "unauthenticated"));

      // Not even a ping or an unregister acts without a token.
      assertThat(bridge.refusal(new JsonObject().put("type", "ping")))
          .isEqualTo(new JsonObject().put("type", "err").put("message", "unauthenticated"));
      assertThat(bridge.refusal(frame("unregister", "parley.chat.unclaimed.events", null, "parley_no-such-token")))
          .isEqualTo(new JsonObject().put("type", "err").put("message", "unauthenticated"));

      // The connection is still usable, and none of that did anything.
      JsonObject signedPing = new JsonObject().put("type", "ping")
          .put("headers", new JsonObject().put("authorization", "Bearer " + alice.createToken("pinger").getString("token")));
      assertThat(bridge.exchange(signedPing, f -> "pong".equals(f.getString("type")))).isNotNull();
    }
    assertThat(shared.upstream().requests()).hasSize(modelCalls);
    assertThat(alice.history("unclaimed")).isEmpty();
    alice.send("unclaimed", "nobody took it");
    alice.replyEnded("unclaimed");
  }

  @Test
  void withAValidTokenASendActsAsThatUser() {
    shared.upstream().script(Script.tokens(List.of("over ", "the ", "bridge"), 2));
    String token = alice.createToken("bridge service").getString("token");
    try (Bridge bridge = Bridge.connect()) {
      // Listening before the first send, as a client does for a chat it is about to make (frames act in order).
      bridge.write(frame("register", "parley.chat.bridged.events", null, token));
      JsonObject answer = bridge.request("parley.messages.send", message("bridged", "hello from a service"), token);
      assertThat(answer.getString("type")).as(answer.encode()).isEqualTo("message");
      assertThat(answer.getJsonObject("body").getJsonObject("reply").getString("status")).isEqualTo("streaming");
      JsonObject end = bridge.await(endOf("bridged"));
      assertThat(end.getJsonObject("body").getString("status")).isEqualTo("complete");

      JsonObject history = bridge.request("parley.messages.history", new JsonObject().put("chatId", "bridged"), token);
      JsonArray messages = history.getJsonArray("body");
      assertThat(messages).hasSize(2);
      assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("over the bridge");
      JsonObject chats = bridge.request("parley.chats.list", new JsonObject(), token);
      assertThat(chats.getJsonArray("body").stream().map(c -> ((JsonObject) c).getString("chatId"))).contains("bridged");
    }
    // Over HTTP the chat is alice's, and only hers.
    assertThat(alice.chatIds()).contains("bridged");
    assertThat(alice.history("bridged")).hasSize(2);
    assertThat(bob.chatIds()).doesNotContain("bridged");
    assertThat(bob.history("bridged")).isEmpty();
  }

  @Test
  void anotherUsersChatCannotBeWatchedStoppedOrSentTo() {
    Promise<Void> release = Promise.promise();
    shared.upstream().script(Script.tokens(List.of("alice's ", "secret"), 2).heldUntil(release.future()));
    alice.send("alices-secret", "tell me a secret");
    SseCapture watching = ApiClient.await(alice.stream("alices-secret"));
    ApiClient.await(watching.deltas(2));
    int modelCalls = shared.upstream().requests().size();
    String bobs = bob.createToken("bob's service").getString("token");

    try (Bridge bridge = Bridge.connect()) {
      assertThat(bridge.refusal(frame("register", "parley.chat.alices-secret.events", null, bobs)))
          .isEqualTo(new JsonObject().put("type", "err").put("message", "access_denied"));
      assertThat(bridge.refusal(frame("register", "parley.chat.alices-secret.terminate", null, bobs)))
          .isEqualTo(new JsonObject().put("type", "err").put("message", "access_denied"));
      assertThat(bridge.refusal(frame("publish", "parley.chat.alices-secret.terminate", new JsonObject(), bobs)))
          .isEqualTo(new JsonObject().put("type", "err").put("message", "access_denied"));
      assertFailure(bridge.request("parley.chat.alices-secret.terminate", new JsonObject(), bobs), 403, "access_denied");

      JsonObject send = bridge.request("parley.messages.send", message("alices-secret", "let me in"), bobs);
      assertFailure(send, 409, "chat_id_taken");
      JsonObject history = bridge.request("parley.messages.history", new JsonObject().put("chatId", "alices-secret"), bobs);
      assertThat(history.getJsonArray("body")).isEmpty();
      JsonObject chats = bridge.request("parley.chats.list", new JsonObject(), bobs);
      assertThat(chats.getJsonArray("body").stream().map(c -> ((JsonObject) c).getString("chatId"))).doesNotContain("alices-secret");

      release.complete();
      List<SseCapture.Event> events = ApiClient.await(watching.done());
      assertThat(SseCapture.endOf(events).json().getString("status")).as("bob stopped nothing").isEqualTo("complete");
      assertThat(SseCapture.textOf(events)).isEqualTo("alice's secret");
      assertThat(bridge.received()).as("bob heard nothing of alice's chat")
          .noneMatch(f -> String.valueOf(f.getString("address")).startsWith("parley.chat.alices-secret."));
    }
    assertThat(shared.upstream().requests()).hasSize(modelCalls);
    assertThat(alice.history("alices-secret")).hasSize(2);
    assertThat(alice.history("alices-secret").getJsonObject(0).getString("content")).isEqualTo("tell me a secret");
  }

  @Test
  void listeningAheadToAChatSomeoneElseThenStartsHearsNothingOfIt() {
    String bobs = bob.createToken("bob listens ahead").getString("token");
    try (Bridge bridge = Bridge.connect()) {
      // Nobody owns this chat yet: bob may listen ahead of a send of his own.
      bridge.write(frame("register", "parley.chat.alice-later.events", null, bobs));
      bridge.request("parley.chats.list", new JsonObject(), bobs);
      shared.upstream().script(Script.tokens(List.of("for ", "alice ", "only"), 2));
      alice.send("alice-later", "this chat is mine");
      JsonObject refused = bridge.await(f -> "err".equals(f.getString("type")));
      assertThat(refused.getString("message")).isEqualTo("access_denied");
      List<SseCapture.Event> events = ApiClient.await(alice.stream("alice-later").compose(SseCapture::done));
      assertThat(SseCapture.textOf(events)).isEqualTo("for alice only");
      assertThat(bridge.received()).as("bob heard nothing of alice's chat")
          .noneMatch(f -> "message".equals(f.getString("type")) && "parley.chat.alice-later.events".equals(f.getString("address")));
    }
  }

  @Test
  void aRevokedTokenOrADeletedAccountIsRefusedAtOnce() {
    ApiClient carol = ApiClient.signUp(shared.node(), "carol", PASSWORD);
    JsonObject revoked = carol.createToken("to revoke");
    String kept = carol.createToken("kept").getString("token");
    try (Bridge bridge = Bridge.connect()) {
      assertThat(bridge.request("parley.chats.list", new JsonObject(), revoked.getString("token")).getString("type")).isEqualTo("message");
      assertThat(carol.delete("/api/tokens/" + revoked.getString("id")).status()).isEqualTo(204);
      assertFailure(bridge.request("parley.chats.list", new JsonObject(), revoked.getString("token")), 401, "unauthenticated");

      assertThat(bridge.request("parley.chats.list", new JsonObject(), kept).getString("type")).isEqualTo("message");
      assertThat(admin.delete("/api/users/" + carol.userId()).status()).isEqualTo(204);
      assertFailure(bridge.request("parley.chats.list", new JsonObject(), kept), 401, "unauthenticated");
      assertFailure(bridge.request("parley.messages.send", message("carols-last", "hello?"), kept), 401, "unauthenticated");
    }
  }
}
