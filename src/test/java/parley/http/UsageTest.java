package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.support.ApiClient;
import parley.support.FakeUpstream.Script;
import parley.support.WithAccountsNode;

/**
 * Token usage end to end: Parley asks the model for it, stores what the model reports on the bot
 * message, and sums it per user for today and this month in {@code /api/me} and the admins' list.
 */
class UsageTest extends WithAccountsNode {
  /** The user's usage, the same today and this month, as they see it and as the admins' list shows it. */
  private static void assertUsage(ApiClient user, String username, JsonObject count) {
    JsonObject expected = new JsonObject().put("today", count).put("month", count);
    assertThat(user.me().getJsonObject("usage")).isEqualTo(expected);
    assertThat(listedUsage(username)).isEqualTo(expected);
  }

  private static JsonObject count(long replies, long promptTokens, long completionTokens) {
    return new JsonObject().put("replies", replies).put("promptTokens", promptTokens).put("completionTokens", completionTokens);
  }

  private static JsonObject listedUsage(String username) {
    return admin.get("/api/users").array().stream().map(JsonObject.class::cast)
        .filter(user -> username.equals(user.getString("username"))).findFirst().orElseThrow().getJsonObject("usage");
  }

  @Test
  void reportedUsageIsStoredOnTheReplyAndSummedForTodayAndTheMonth() {
    ApiClient alice = ApiClient.signUp(shared.node(), "alice", PASSWORD);
    int before = shared.upstream().requests().size();

    shared.upstream().script(Script.tokens(List.of("first ", "answer"), 2).reportingUsage(12, 5));
    alice.send("metered", "question one");
    alice.replyEnded("metered");
    shared.upstream().script(Script.tokens(List.of("second ", "answer"), 2).reportingUsage(20, 7));
    alice.send("metered", "question two");
    alice.replyEnded("metered");

    List<JsonObject> asked = shared.upstream().requests().subList(before, shared.upstream().requests().size());
    assertThat(asked).hasSize(2).allSatisfy(request -> {
      assertThat(request.getBoolean("stream")).isTrue();
      assertThat(request.getJsonObject("stream_options")).isEqualTo(new JsonObject().put("include_usage", true));
    });

    JsonArray history = alice.history("metered");
    assertThat(history).hasSize(4);
    assertThat(history.getJsonObject(0).containsKey("usage")).as("a user message has no usage").isFalse();
    assertThat(history.getJsonObject(1).getJsonObject("usage"))
        .isEqualTo(new JsonObject().put("promptTokens", 12).put("completionTokens", 5));
    assertThat(history.getJsonObject(1).getString("content")).isEqualTo("first answer");
    assertThat(history.getJsonObject(3).getJsonObject("usage"))
        .isEqualTo(new JsonObject().put("promptTokens", 20).put("completionTokens", 7));

    assertUsage(alice, "alice", count(2, 32, 12));
  }

  @Test
  void aReplyWithoutReportedUsageCountsAsAReplyWithNoTokens() {
    ApiClient bob = ApiClient.signUp(shared.node(), "bob", PASSWORD);
    shared.upstream().script(Script.tokens(List.of("no ", "meter"), 2));
    bob.send("unmetered", "question");
    bob.replyEnded("unmetered");

    JsonObject reply = bob.history("unmetered").getJsonObject(1);
    assertThat(reply.getString("content")).isEqualTo("no meter");
    assertThat(reply.containsKey("usage")).isFalse();
    assertUsage(bob, "bob", count(1, 0, 0));
  }

  @Test
  void eachUserCountsOnlyTheirOwnReplies() {
    ApiClient carol = ApiClient.signUp(shared.node(), "carol", PASSWORD);
    ApiClient dave = ApiClient.signUp(shared.node(), "dave", PASSWORD);
    shared.upstream().script(Script.tokens(List.of("yours"), 1).reportingUsage(100, 50));
    ApiClient carolsScript = carol.script("carol's script");
    carolsScript.send("carols", "by token");
    carolsScript.replyEnded("carols");

    assertThat(carol.me().getJsonObject("usage").getJsonObject("today")).isEqualTo(count(1, 100, 50));
    JsonObject nothing = new JsonObject().put("today", count(0, 0, 0)).put("month", count(0, 0, 0));
    assertThat(dave.me().getJsonObject("usage")).isEqualTo(nothing);
    assertThat(listedUsage("dave")).isEqualTo(nothing);
  }
}
