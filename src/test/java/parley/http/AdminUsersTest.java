package parley.http;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.support.ApiClient.credentialsBody;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream.Script;
import parley.support.Poll;
import parley.support.WithAccountsNode;

/**
 * The admins' user management over real HTTP: the list with usage, making accounts, deleting
 * them (their sessions, tokens and chats go at once), and nobody else may.
 */
class AdminUsersTest extends WithAccountsNode {
  @BeforeEach
  void quickReplies() {
    shared.upstream().script(Script.tokens(List.of("fine"), 1));
  }

  private static JsonObject listed(String username) {
    Answer users = admin.get("/api/users");
    assertThat(users.status()).as(users.toString()).isEqualTo(200);
    return users.array().stream().map(JsonObject.class::cast).filter(user -> username.equals(user.getString("username")))
        .findFirst().orElse(null);
  }

  @Test
  void theListShowsEveryAccountWithItsUsageAndNoSecrets() {
    admin.createUser("lister", PASSWORD, null);
    Answer users = admin.get("/api/users");
    assertThat(users.status()).isEqualTo(200);
    JsonArray list = users.array();
    assertThat(list.size()).isGreaterThanOrEqualTo(2);
    for (Object item : list) {
      JsonObject user = (JsonObject) item;
      assertThat(user.fieldNames()).containsExactlyInAnyOrder("id", "username", "role", "createdAt", "usage");
      assertThat(user.getJsonObject("usage").fieldNames()).containsExactlyInAnyOrder("today", "month");
      assertThat(user.getJsonObject("usage").getJsonObject("today").fieldNames())
          .containsExactlyInAnyOrder("replies", "promptTokens", "completionTokens");
    }
    assertThat(users.body().toString()).doesNotContain("passwordHash").doesNotContain("argon2");
    JsonObject root = listed("root");
    assertThat(root.getString("role")).isEqualTo("admin");
    assertThat(root.getString("id")).isEqualTo(admin.userId());
    assertThat(listed("lister").getString("role")).isEqualTo("user");
  }

  @Test
  void anAdminMakesAccountsThatSignIn() {
    Answer created = admin.post("/api/users", credentialsBody("Made.By-Admin_1", PASSWORD));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonObject user = created.json().getJsonObject("user");
    assertThat(user.getString("username")).isEqualTo("made.by-admin_1");
    assertThat(user.getString("role")).isEqualTo("user");
    assertThat(created.setCookie(ApiClient.SESSION_COOKIE)).as("the admin stays who they are").isNull();
    ApiClient made = ApiClient.logIn(shared.node(), "made.by-admin_1", PASSWORD);
    assertThat(made.me().getJsonObject("user").getString("id")).isEqualTo(user.getString("id"));

    JsonObject second = admin.createUser("second-admin", PASSWORD, "admin");
    assertThat(second.getString("role")).isEqualTo("admin");
    ApiClient secondAdmin = ApiClient.logIn(shared.node(), "second-admin", PASSWORD);
    assertThat(secondAdmin.get("/api/users").status()).isEqualTo(200);

    Answer taken = admin.post("/api/users", credentialsBody("second-admin", PASSWORD));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.errorCode()).isEqualTo("username_taken");
    for (JsonObject bad : List.of(credentialsBody("x", PASSWORD), credentialsBody("badpass", "short"),
        credentialsBody("badrole", PASSWORD).put("role", "root"), credentialsBody("badrole", PASSWORD).put("role", 1),
        new JsonObject().put("username", "nopass"))) {
      Answer refused = admin.post("/api/users", bad);
      assertThat(refused.status()).as(bad.encode()).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("bad_request");
    }
    assertThat(admin.post("/api/users", "[]").status()).isEqualTo(400);
    assertThat(listed("badrole")).isNull();
    assertThat(listed("badpass")).isNull();
  }

  @Test
  void deletingAnAccountEndsItsSessionsAndTokensAtOnceAndDeletesItsChats() {
    admin.createUser("carol", PASSWORD, null);
    ApiClient carol = ApiClient.logIn(shared.node(), "carol", PASSWORD);
    ApiClient carolsScript = carol.script("carol's script");
    carol.send("carol-chat", "something private");
    carol.replyEnded("carol-chat");
    carolsScript.send("carol-script-chat", "more");
    carolsScript.replyEnded("carol-script-chat");
    // Both credentials are in use, so both are cached by the node: the deletion must reach the cache too.
    assertThat(carol.me().getJsonObject("user").getString("username")).isEqualTo("carol");
    assertThat(carolsScript.me().getJsonObject("user").getString("username")).isEqualTo("carol");
    String carolId = listed("carol").getString("id");

    Answer deleted = admin.delete("/api/users/" + carolId);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);

    for (ApiClient gone : List.of(carol, carolsScript)) {
      Answer refused = gone.get("/api/chats");
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.errorCode()).isEqualTo("unauthenticated");
      assertThat(gone.trySend("carol-chat", "still here?").status()).isEqualTo(401);
    }
    assertThat(listed("carol")).isNull();
    Answer login = shared.anonymous().post("/api/auth/login", credentialsBody("carol", PASSWORD));
    assertThat(login.status()).isEqualTo(401);
    assertThat(login.errorCode()).isEqualTo("invalid_credentials");

    // Her chats are gone: their ids are free again, and whoever takes one sees nothing of hers.
    admin.createUser("dan", PASSWORD, null);
    ApiClient dan = ApiClient.logIn(shared.node(), "dan", PASSWORD);
    for (String chatId : List.of("carol-chat", "carol-script-chat")) {
      dan.send(chatId, "is this free?");
      dan.replyEnded(chatId);
      JsonArray history = dan.history(chatId);
      assertThat(history).hasSize(2);
      assertThat(history.getJsonObject(0).getString("content")).isEqualTo("is this free?");
    }
    // A name is free again too; the new account is someone else.
    JsonObject newCarol = admin.createUser("carol", PASSWORD, null);
    assertThat(newCarol.getString("id")).isNotEqualTo(carolId);
    assertThat(ApiClient.logIn(shared.node(), "carol", PASSWORD).chatIds()).isEmpty();
  }

  @Test
  void onlyAdminsManageAccounts() {
    admin.createUser("eve", PASSWORD, null);
    ApiClient eve = ApiClient.logIn(shared.node(), "eve", PASSWORD);
    ApiClient evesScript = eve.script("eve's script");
    String rootId = admin.userId();
    for (ApiClient user : List.of(eve, evesScript)) {
      List<Answer> refused = List.of(user.get("/api/users"), user.post("/api/users", credentialsBody("eves-friend", PASSWORD)),
          user.delete("/api/users/" + rootId), user.delete("/api/users/" + eve.userId()));
      for (Answer answer : refused) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
        assertThat(answer.errorCode()).isEqualTo("forbidden");
      }
    }
    assertThat(listed("eves-friend")).isNull();
    assertThat(admin.me().getJsonObject("user").getString("role")).isEqualTo("admin");
    assertThat(eve.me().getJsonObject("user").getString("username")).isEqualTo("eve");
  }

  @Test
  void anUnknownAccountIs404AndAnAdminCannotDeleteThemselves() {
    Answer unknown = admin.delete("/api/users/no-such-user");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("not_found");

    Answer self = admin.delete("/api/users/" + admin.userId());
    assertThat(self.status()).isEqualTo(400);
    assertThat(self.errorCode()).isEqualTo("bad_request");
    assertThat(admin.me().getJsonObject("user").getString("username")).isEqualTo("root");
    assertThat(listed("root")).isNotNull();
  }

  @Test
  void healthDetailsGoToAdminsWhereverTheyComeFrom() {
    admin.createUser("ivy", PASSWORD, null);
    ApiClient ivy = ApiClient.logIn(shared.node(), "ivy", PASSWORD);
    String[] proxied = {"X-Forwarded-For", "203.0.113.9"};
    for (ApiClient someone : List.of(shared.anonymous(), ivy, ivy.script("ivy's monitor"))) {
      Answer health = someone.get("/health", proxied);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json()).as("only up or down for %s", someone.credentials()).isEqualTo(new JsonObject().put("status", "UP"));
    }
    for (ApiClient anAdmin : List.of(admin, admin.script("admin's monitor"))) {
      Answer health = anAdmin.get("/health", proxied);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().getJsonArray("checks")).as("details for an admin").isNotEmpty();
    }
  }

  @Test
  void adminsDoNotReadOthersChats() {
    admin.createUser("frieda", PASSWORD, null);
    ApiClient frieda = ApiClient.logIn(shared.node(), "frieda", PASSWORD);
    frieda.send("friedas-diary", "dear diary");
    frieda.replyEnded("friedas-diary");
    assertThat(admin.history("friedas-diary")).isEmpty();
    assertThat(admin.chatIds()).doesNotContain("friedas-diary");
    assertThat(admin.get("/api/stream/friedas-diary").status()).isEqualTo(204);
    assertThat(frieda.history("friedas-diary")).hasSize(2);
  }

  @Test
  void deletingAnAccountStopsItsRunningRepliesAndFreesTheirChats() {
    Promise<Void> never = Promise.promise();
    shared.upstream().script(Script.tokens(List.of("still ", "going"), 2).heldUntil(never.future()));
    admin.createUser("gina", PASSWORD, null);
    ApiClient gina = ApiClient.logIn(shared.node(), "gina", PASSWORD);
    gina.send("ginas-long-chat", "go on forever");
    ApiClient.await(ApiClient.await(gina.stream("ginas-long-chat")).deltas(2));
    Future<Void> upstreamClosed = shared.upstream().closeWhileStreaming();

    assertThat(admin.delete("/api/users/" + gina.userId()).status()).isEqualTo(204);
    // The model is no longer paid for a deleted account's reply: its connection is closed.
    ApiClient.await(upstreamClosed);
    quickReplies();
    admin.createUser("hank", PASSWORD, null);
    ApiClient hank = ApiClient.logIn(shared.node(), "hank", PASSWORD);
    Answer taken = ApiClient.await(Poll.until(shared.node().vertx(),
        () -> hank.trySendAsync("ginas-long-chat", "is it free?"), answer -> answer.status() != 409, 10_000));
    assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
    hank.replyEnded("ginas-long-chat");
    assertThat(hank.history("ginas-long-chat")).hasSize(2);
  }
}
