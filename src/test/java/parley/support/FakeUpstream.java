package parley.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import parley.chat.Titles;

/**
 * An OpenAI-compatible streaming API for tests: streams chosen text at a chosen pace, or fails in
 * a chosen way, and reports what it saw (requests, open connections, connections closed on it).
 */
public final class FakeUpstream {
  public enum Failure { NONE, HTTP_500, STALL, MALFORMED_CHUNK, CLOSE_EARLY }

  /** The tokens a model reports a reply cost, in a last chunk with no choices (as OpenAI does). */
  public record Usage(long promptTokens, long completionTokens) {}

  /**
   * What the next requests get; with {@code echo}, the reply is "You said: " and the last user
   * message; with {@code usage}, a usage chunk comes after the finish chunk; with {@code release},
   * the reply is held open after its text (keep-alive comments only) until that future completes.
   */
  public record Script(List<String> tokens, long intervalMs, Failure failure, int failAfterTokens, boolean echo, Usage usage,
      Future<Void> release, String echoPrefix) {
    public Script(List<String> tokens, long intervalMs, Failure failure, int failAfterTokens, boolean echo) {
      this(tokens, intervalMs, failure, failAfterTokens, echo, null, null, "You said: ");
    }

    public Script(List<String> tokens, long intervalMs, Failure failure, int failAfterTokens, boolean echo, Usage usage,
        Future<Void> release) {
      this(tokens, intervalMs, failure, failAfterTokens, echo, usage, release, "You said: ");
    }

    /** Echoes with another opening than "You said: ", so that two models' replies tell apart. */
    public static Script echoAs(String prefix, long intervalMs) {
      return new Script(List.of(), intervalMs, Failure.NONE, 0, true, null, null, prefix);
    }

    public static Script tokens(List<String> tokens, long intervalMs) {
      return new Script(tokens, intervalMs, Failure.NONE, 0, false);
    }

    public static Script echo(long intervalMs) {
      return new Script(List.of(), intervalMs, Failure.NONE, 0, true);
    }

    public Script failing(Failure failure, int afterTokens) {
      return new Script(tokens, intervalMs, failure, afterTokens, echo, usage, release);
    }

    /** Reports this usage at the end of each reply. */
    public Script reportingUsage(long promptTokens, long completionTokens) {
      return new Script(tokens, intervalMs, failure, failAfterTokens, echo, new Usage(promptTokens, completionTokens), release);
    }

    /** Holds each reply open after its text until {@code release} completes. */
    public Script heldUntil(Future<Void> release) {
      return new Script(tokens, intervalMs, failure, failAfterTokens, echo, usage, release);
    }

    List<String> tokensFor(JsonObject request) {
      if (!echo) {
        return tokens;
      }
      JsonArray messages = request.getJsonArray("messages");
      String last = messages.getJsonObject(messages.size() - 1).getString("content");
      List<String> words = new java.util.ArrayList<>();
      java.util.regex.Matcher word = java.util.regex.Pattern.compile("\\S+\\s*").matcher(echoPrefix + last);
      while (word.find()) {
        words.add(word.group());
      }
      return words;
    }
  }

  private final Vertx vertx;
  private HttpServer server;
  private volatile Script script = Script.tokens(List.of("Hello", " world"), 5);
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<JsonObject> titleRequests = new CopyOnWriteArrayList<>();
  private volatile List<String> models = List.of("fake-model");
  /** Null: "About" and the first words of the person's message. */
  private volatile String titleAnswer;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicInteger closedWhileStreaming = new AtomicInteger();
  private volatile Promise<Void> nextCloseWhileStreaming = Promise.promise();

  private FakeUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<FakeUpstream> start(Vertx vertx) {
    FakeUpstream upstream = new FakeUpstream(vertx);
    return vertx.createHttpServer()
        .connectionHandler(connection -> {
          upstream.openConnections.incrementAndGet();
          connection.closeHandler(v -> upstream.openConnections.decrementAndGet());
        })
        .requestHandler(upstream::handle)
        .listen(0, "127.0.0.1")
        .map(server -> {
          upstream.server = server;
          return upstream;
        });
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public void script(Script next) {
    script = next;
  }

  public List<JsonObject> requests() {
    return requests;
  }

  /** Requests that asked for a chat's title (not in {@link #requests()}): answered with {@link #titleAnswer}. */
  public List<JsonObject> titleRequests() {
    return titleRequests;
  }

  /** What {@code GET /v1/models} lists. */
  public void models(List<String> names) {
    models = List.copyOf(names);
  }

  /** What a title request is answered (as a model might: quoted, labelled, with a second line). */
  public void titleAnswer(String answer) {
    titleAnswer = answer;
  }

  public List<String> authorizations() {
    return authorizations;
  }

  public int openConnections() {
    return openConnections.get();
  }

  public int closedWhileStreaming() {
    return closedWhileStreaming.get();
  }

  /** Completes when a client closes the connection of a reply this server is still streaming. */
  public Future<Void> closeWhileStreaming() {
    return nextCloseWhileStreaming.future();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    if (request.path().equals("/v1/models")) {
      JsonArray data = new JsonArray();
      models.forEach(name -> data.add(new JsonObject().put("id", name).put("object", "model")));
      request.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("object", "list").put("data", data).encode());
      return;
    }
    if (!request.path().equals("/v1/chat/completions")) {
      request.response().setStatusCode(404).end();
      return;
    }
    String authorization = String.valueOf(request.getHeader("Authorization"));
    request.body().onSuccess(body -> {
      boolean asksForTitle = isTitleRequest(body.toJsonObject());
      Script plan = asksForTitle ? Script.tokens(List.of(titleFor(body.toJsonObject())), 1) : script;
      (asksForTitle ? titleRequests : requests).add(body.toJsonObject());
      if (!asksForTitle) {
        authorizations.add(authorization);
      }
      List<String> tokens = plan.tokensFor(body.toJsonObject());
      HttpServerResponse response = request.response();
      if (plan.failure() == Failure.HTTP_500) {
        response.setStatusCode(500).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("error", new JsonObject().put("message", "the fake model is down")).encode());
        return;
      }
      response.setChunked(true).putHeader("Content-Type", "text/event-stream");
      response.write(": stream opened\n\n");
      int[] sent = {0};
      boolean[] finished = {false};
      long[] lastHeldComment = {0};
      long timer = vertx.setPeriodic(plan.intervalMs(), id -> {
        if (plan.failure() != Failure.NONE && sent[0] == plan.failAfterTokens()) {
          vertx.cancelTimer(id);
          switch (plan.failure()) {
            case STALL -> { } // say nothing more, keep the connection open
            case MALFORMED_CHUNK -> response.write("data: {\"choices\": [ this is not json\n\n");
            case CLOSE_EARLY -> {
              finished[0] = true;
              response.reset();
            }
            default -> throw new IllegalStateException();
          }
          return;
        }
        if (sent[0] < tokens.size()) {
          response.write("data: " + chunk(tokens.get(sent[0]++), null).encode() + "\n\n");
        } else if (plan.release() != null && !plan.release().isComplete()) {
          // Held: a comment now and then, so that the reply is not taken for a stalled one.
          long now = System.currentTimeMillis();
          if (now - lastHeldComment[0] >= 200) {
            lastHeldComment[0] = now;
            response.write(": held\n\n");
          }
        } else {
          vertx.cancelTimer(id);
          finished[0] = true;
          response.write("data: " + chunk(null, "stop").encode() + "\n\n");
          if (plan.usage() != null) {
            response.write("data: " + usageChunk(plan.usage()).encode() + "\n\n");
          }
          response.end("data: [DONE]\n\n");
        }
      });
      response.closeHandler(v -> {
        vertx.cancelTimer(timer);
        if (!finished[0]) {
          closedWhileStreaming.incrementAndGet();
          Promise<Void> closed = nextCloseWhileStreaming;
          nextCloseWhileStreaming = Promise.promise();
          closed.tryComplete();
        }
      });
    });
  }

  private String titleFor(JsonObject request) {
    if (titleAnswer != null) {
      return titleAnswer;
    }
    String excerpt = request.getJsonArray("messages").getJsonObject(1).getString("content");
    String question = excerpt.replaceFirst("^Person: ", "").split("\n")[0];
    String[] words = question.split("\\s+");
    return "About " + String.join(" ", java.util.Arrays.asList(words).subList(0, Math.min(3, words.length)));
  }

  private static boolean isTitleRequest(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages");
    return messages != null && !messages.isEmpty() && "system".equals(messages.getJsonObject(0).getString("role"))
        && Titles.INSTRUCTION.equals(messages.getJsonObject(0).getString("content"));
  }

  private static JsonObject usageChunk(Usage usage) {
    return new JsonObject()
        .put("id", "chatcmpl-test")
        .put("object", "chat.completion.chunk")
        .put("choices", new JsonArray())
        .put("usage", new JsonObject().put("prompt_tokens", usage.promptTokens()).put("completion_tokens", usage.completionTokens())
            .put("total_tokens", usage.promptTokens() + usage.completionTokens()));
  }

  private static JsonObject chunk(String content, String finishReason) {
    JsonObject delta = content == null ? new JsonObject() : new JsonObject().put("content", content);
    return new JsonObject()
        .put("id", "chatcmpl-test")
        .put("object", "chat.completion.chunk")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finishReason)));
  }
}
