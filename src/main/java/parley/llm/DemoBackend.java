package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import parley.chat.ChatMessage;
import parley.config.Provider;

/**
 * The model a node uses while no LLM endpoint is configured: it streams a short, fixed reply
 * word by word at a readable pace, so the whole product can be tried with no set-up.
 */
final class DemoBackend implements ModelProvider {
  /** The demo's one model: {@code demo/demo}. */
  static final String MODEL = "demo";

  private static final Pattern WORD = Pattern.compile("\\S+\\s*|\\s+");
  private static final int ECHO_CHARS = 120;

  private final Vertx vertx;
  private final long delayMs;

  DemoBackend(Vertx vertx, long delayMs) {
    this.vertx = vertx;
    this.delayMs = delayMs;
  }

  @Override
  public String name() {
    return Provider.DEMO;
  }

  @Override
  public Future<List<String>> models() {
    return Future.succeededFuture(List.of(MODEL));
  }

  @Override
  public String describe() {
    return "the built-in demo model (set PARLEY_LLM_BASE_URL, or providers in conf/config.json, to use a real one)";
  }

  static String replyTo(List<ChatMessage> conversation) {
    String last = conversation.isEmpty() ? "" : conversation.get(conversation.size() - 1).content().strip();
    String echo = last.length() > ECHO_CHARS ? last.substring(0, ECHO_CHARS) + "…" : last;
    return "Hello! I am Parley's **demo model**: no language model is configured on this server, "
        + "so I stream this fixed reply word by word.\n\nYou wrote: \"" + echo.replace("\n", " ") + "\"\n\n"
        + "To talk to a real model, set `PARLEY_LLM_BASE_URL` (and `PARLEY_LLM_API_KEY`) "
        + "to any OpenAI-compatible API and restart.";
  }

  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher matcher = WORD.matcher(text);
    while (matcher.find()) {
      words.add(matcher.group());
    }
    return words;
  }

  @Override
  public ModelBackend.ModelCall stream(ModelRequest request, List<ChatMessage> conversation, ModelBackend.Listener listener) {
    List<String> words = words(replyTo(conversation));
    long[] timer = {-1};
    int[] next = {0};
    timer[0] = vertx.setPeriodic(delayMs, id -> {
      if (next[0] < words.size()) {
        listener.onText(words.get(next[0]++));
      } else {
        vertx.cancelTimer(id);
        listener.onComplete();
      }
    });
    return () -> vertx.cancelTimer(timer[0]);
  }
}
