package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.FakeUpstream.Script;
import parley.support.RunningNode;
import parley.support.SseCapture;

/**
 * Per-user limits over real HTTP: sends in a minute, replies streaming at once, and the daily
 * token quota. Past one, {@code 429} with {@code Retry-After}, nothing stored, no model called;
 * a refused send does not count; other users are not held back.
 */
class LimitsTest {
  private static final String PASSWORD = "correct horse battery";

  private static Map<String, Object> settings(String name, Object value) {
    return Map.of("PARLEY_AUTH", "local", "PARLEY_SIGNUP", "open", name, value);
  }

  /** The refusal, and that it left nothing behind: no message, no chat, no model call. */
  private static Answer refused(RunningNode node, ApiClient user, String chatId, String code) {
    int modelCalls = node.upstream().requests().size();
    Answer answer = user.trySend(chatId, "one too many");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(429);
    assertThat(answer.errorCode()).isEqualTo(code);
    assertThat(answer.header("Retry-After")).as("Retry-After").isNotNull();
    assertThat(user.history(chatId)).isEmpty();
    assertThat(user.chatIds()).doesNotContain(chatId);
    assertThat(node.upstream().requests()).hasSize(modelCalls);
    return answer;
  }

  private static void sendAndWait(ApiClient user, String chatId) {
    user.send(chatId, "hello");
    user.replyEnded(chatId);
  }

  @Test
  void theThirdSendInAMinuteIsRefusedAndRefusedSendsDoNotCount(@TempDir Path dataDir) {
    try (RunningNode node = RunningNode.start(dataDir, settings("PARLEY_USER_SENDS_PER_MINUTE", 2))) {
      node.upstream().script(Script.tokens(List.of("ok"), 1));
      ApiClient alice = ApiClient.signUp(node.node(), "alice", PASSWORD);
      ApiClient bob = ApiClient.signUp(node.node(), "bob", PASSWORD);
      sendAndWait(bob, "bobs-chat");

      sendAndWait(alice, "first");
      // Refused for other reasons, these count for nothing.
      assertThat(alice.trySend("bobs-chat", "mine?").status()).isEqualTo(409);
      assertThat(alice.post("/api/messages", new JsonObject().put("chatId", "bad id!").put("content", "x")).status()).isEqualTo(400);
      assertThat(alice.post("/api/messages", new JsonObject().put("chatId", "second")).status()).isEqualTo(400);
      sendAndWait(alice, "second");

      Answer third = refused(node, alice, "third", "rate_limited");
      assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(1L, 60L);
      refused(node, alice, "third", "rate_limited");
      // The limit is the user's, whichever credential they use; others are not held back.
      refused(node, alice.script("alice's script"), "third", "rate_limited");
      sendAndWait(bob, "bobs-second-chat");
    }
  }

  @Test
  void pastTheRepliesStreamingAtOnceASendIsRefusedUntilOneEnds(@TempDir Path dataDir) {
    Map<String, Object> settings = Map.of("PARLEY_AUTH", "local", "PARLEY_SIGNUP", "open",
        "PARLEY_USER_MAX_ACTIVE_REPLIES", 1, "PARLEY_USER_SENDS_PER_MINUTE", 2);
    try (RunningNode node = RunningNode.start(dataDir, settings)) {
      Promise<Void> release = Promise.promise();
      node.upstream().script(Script.tokens(List.of("held ", "open"), 2).heldUntil(release.future()));
      ApiClient alice = ApiClient.signUp(node.node(), "alice", PASSWORD);
      ApiClient bob = ApiClient.signUp(node.node(), "bob", PASSWORD);

      alice.send("long-reply", "take your time");
      SseCapture watching = ApiClient.await(alice.stream("long-reply"));
      ApiClient.await(watching.deltas(2));
      Answer second = refused(node, alice, "another-window", "rate_limited");
      assertThat(Long.parseLong(second.header("Retry-After"))).isPositive();
      // Another user has replies of their own.
      bob.send("bobs-reply", "me too");

      release.complete();
      assertThat(SseCapture.endOf(ApiClient.await(watching.done())).json().getString("status")).isEqualTo("complete");
      // Ended, the reply no longer counts; and the refused send did not count as one of the 2 a minute.
      alice.send("another-window", "now?");
      assertThat(SseCapture.endOf(alice.replyEnded("another-window")).json().getString("status")).isEqualTo("complete");
      bob.replyEnded("bobs-reply");
    }
  }

  @Test
  void sendsAtTheSameMomentAreCountedExactly(@TempDir Path dataDir) {
    Map<String, Object> settings = Map.of("PARLEY_AUTH", "local", "PARLEY_USER_SENDS_PER_MINUTE", 3, "PARLEY_USER_MAX_ACTIVE_REPLIES", 10);
    try (RunningNode node = RunningNode.start(dataDir, settings)) {
      node.upstream().script(Script.tokens(List.of("ok"), 1));
      ApiClient alice = ApiClient.signUp(node.node(), "alice", PASSWORD);
      List<Answer> answers = ApiClient.await(Future.join(IntStream.range(0, 10)
          .mapToObj(i -> alice.trySendAsync("burst-" + i, "hello")).toList())).list();
      assertThat(answers).extracting(Answer::status).containsOnly(201, 429);
      assertThat(answers.stream().filter(answer -> answer.status() == 201)).hasSize(3);
      assertThat(alice.chatIds()).hasSize(3);
    }
  }

  @Test
  void repliesStartedAtTheSameMomentAreCountedExactly(@TempDir Path dataDir) {
    Map<String, Object> settings = Map.of("PARLEY_AUTH", "local", "PARLEY_USER_SENDS_PER_MINUTE", 40, "PARLEY_USER_MAX_ACTIVE_REPLIES", 2);
    try (RunningNode node = RunningNode.start(dataDir, settings)) {
      Promise<Void> release = Promise.promise();
      node.upstream().script(Script.tokens(List.of("held"), 1).heldUntil(release.future()));
      ApiClient alice = ApiClient.signUp(node.node(), "alice", PASSWORD);
      List<Answer> answers = ApiClient.await(Future.join(IntStream.range(0, 8)
          .mapToObj(i -> alice.trySendAsync("window-" + i, "compare models")).toList())).list();
      assertThat(answers).extracting(Answer::status).containsOnly(201, 429);
      assertThat(answers.stream().filter(answer -> answer.status() == 201)).hasSize(2);
      release.complete();
      for (String chatId : alice.chatIds()) {
        alice.replyEnded(chatId);
      }
      assertThat(alice.chatIds()).hasSize(2);
    }
  }

  @Test
  void onceTodaysTokensReachTheQuotaSendsAreRefusedUntilMidnightUtc(@TempDir Path dataDir) {
    try (RunningNode node = RunningNode.start(dataDir, settings("PARLEY_USER_TOKENS_PER_DAY", 100))) {
      node.upstream().script(Script.tokens(List.of("costly"), 1).reportingUsage(40, 30));
      ApiClient alice = ApiClient.signUp(node.node(), "alice", PASSWORD);
      ApiClient bob = ApiClient.signUp(node.node(), "bob", PASSWORD);

      sendAndWait(alice, "q1");
      assertThat(today(alice).getLong("promptTokens") + today(alice).getLong("completionTokens")).isEqualTo(70);
      sendAndWait(alice, "q2");
      assertThat(today(alice).getLong("promptTokens") + today(alice).getLong("completionTokens")).isEqualTo(140);

      long beforeSeconds = secondsToMidnightUtc();
      Answer answer = refused(node, alice, "q3", "quota_exceeded");
      long afterSeconds = secondsToMidnightUtc();
      long retryAfter = Long.parseLong(answer.header("Retry-After"));
      assertThat(retryAfter).isPositive().isLessThanOrEqualTo(beforeSeconds + 1).isGreaterThanOrEqualTo(afterSeconds - 2);
      refused(node, alice.script("alice's script"), "q3", "quota_exceeded");
      assertThat(today(alice).getLong("replies")).as("refused sends are no replies").isEqualTo(2);

      sendAndWait(bob, "bobs-question");
      assertThat(today(bob).getLong("promptTokens")).isEqualTo(40);
    }
  }

  private static JsonObject today(ApiClient user) {
    return user.me().getJsonObject("usage").getJsonObject("today");
  }

  private static long secondsToMidnightUtc() {
    Instant now = Instant.now();
    Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return Duration.between(now, midnight).toSeconds();
  }
}
