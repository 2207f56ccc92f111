package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import parley.chat.Rejection;

class SendGateTest {
  private final ArrayDeque<Runnable> loop = new ArrayDeque<>();
  private final AtomicLong now = new AtomicLong();
  private final SendGate gate = new SendGate(2, 1_000, loop::add, now::get);
  private final List<String> begun = new ArrayList<>();

  /** A send that starts by saying so and is answered when its promise is completed. */
  private Future<String> send(String name, List<Promise<String>> answers) {
    return gate.enter(() -> {
      begun.add(name);
      Promise<String> answer = Promise.promise();
      answers.add(answer);
      return answer.future();
    });
  }

  private void runLoop() {
    for (Runnable task = loop.poll(); task != null; task = loop.poll()) {
      task.run();
    }
  }

  @Test
  void startsAsManyAsAllowedAndTheRestInArrivalOrder() {
    List<Promise<String>> answers = new ArrayList<>();
    Future<String> a = send("a", answers);
    send("b", answers);
    Future<String> c = send("c", answers);
    send("d", answers);
    assertThat(begun).containsExactly("a", "b");
    assertThat(gate.waiting()).isEqualTo(2);

    answers.get(0).complete("A");
    assertThat(a.result()).isEqualTo("A");
    assertThat(begun).as("the next starts on a later turn of the loop").containsExactly("a", "b");
    runLoop();
    assertThat(begun).containsExactly("a", "b", "c");

    answers.get(2).complete("C");
    assertThat(c.result()).isEqualTo("C");
    runLoop();
    assertThat(begun).containsExactly("a", "b", "c", "d");
    assertThat(gate.started()).isEqualTo(2);
  }

  @Test
  void aNewSendDoesNotOvertakeOneWhoseTurnHasCome() {
    List<Promise<String>> answers = new ArrayList<>();
    send("a", answers);
    send("b", answers);
    send("c", answers);
    answers.get(0).fail("store down");
    send("d", answers);
    runLoop();
    assertThat(begun).containsExactly("a", "b", "c");
    assertThat(gate.started()).isEqualTo(2);
    assertThat(gate.waiting()).isEqualTo(1);
  }

  @Test
  void aSendThatWaitedTooLongIsRefusedBeforeItStarts() {
    List<Promise<String>> answers = new ArrayList<>();
    send("a", answers);
    send("b", answers);
    Future<String> late = send("late", answers);
    now.addAndGet(500_000_000L);
    Future<String> onTime = send("on time", answers);
    now.addAndGet(600_000_000L);

    answers.get(0).complete("A");
    runLoop();
    assertThat(late.failed()).isTrue();
    assertThat(late.cause()).isSameAs(SendGate.WAITED_TOO_LONG);
    assertThat(begun).containsExactly("a", "b", "on time");
    assertThat(onTime.isComplete()).isFalse();
  }

  @Test
  void aSendThatThrowsGivesItsTurnBack() {
    Future<String> thrown = gate.enter(() -> {
      throw new IllegalStateException("bug");
    });
    assertThat(thrown.failed()).isTrue();
    assertThat(gate.started()).isZero();
  }

  @Test
  void closingRefusesTheWaitingAndEveryLaterSend() {
    List<Promise<String>> answers = new ArrayList<>();
    send("a", answers);
    send("b", answers);
    Future<String> waiting = send("c", answers);
    gate.close();
    assertThat(waiting.cause()).isInstanceOf(Rejection.class).isSameAs(SendGate.CLOSED);
    assertThat(send("d", answers).cause()).isSameAs(SendGate.CLOSED);
    answers.get(0).complete("A");
    runLoop();
    assertThat(begun).containsExactly("a", "b");
  }

  @Test
  void noLimitStartsEverySendAtOnce() {
    SendGate open = new SendGate(0, 1_000, loop::add, now::get);
    List<String> started = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String name = "s" + i;
      open.enter(() -> {
        started.add(name);
        return Promise.<String>promise().future();
      });
    }
    assertThat(started).hasSize(100);
    assertThat(open.waiting()).isZero();
  }
}
