package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import parley.chat.ChatMessage;
import parley.chat.MessageStatus;
import parley.chat.Sender;
import parley.config.Provider;

/**
 * Streams from {@code POST {baseUrl}/chat/completions} with the core HttpClient rather than
 * WebClient, because Stop must reset the request, which closes the upstream connection.
 */
final class OpenAiCompatibleBackend implements ModelProvider {
  /** How much of an upstream error body we read to explain it. */
  private static final int MAX_ERROR_BODY = 4096;
  /** A model list is small; a provider that takes longer to give it counts as down. */
  private static final long MODELS_TIMEOUT_MS = 5000;
  private static final int MAX_MODELS_BODY = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final String name;
  private final String endpoint;
  private final String modelsEndpoint;
  private final String apiKey;
  private final long idleTimeoutMs;

  OpenAiCompatibleBackend(Vertx vertx, Provider provider, long connectTimeoutMs, long idleTimeoutMs) {
    this.vertx = vertx;
    this.name = provider.name();
    this.endpoint = provider.baseUrl() + "/chat/completions";
    this.modelsEndpoint = provider.baseUrl() + "/models";
    this.apiKey = provider.apiKey();
    this.idleTimeoutMs = idleTimeoutMs;
    // Every streaming reply holds one connection for its whole length.
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setConnectTimeout((int) connectTimeoutMs).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(4096).setMaxWaitQueueSize(-1));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String describe() {
    return "provider " + name + " at " + endpoint;
  }

  /** {@code GET {baseUrl}/models}: the ids of its {@code data}, as OpenAI, Ollama, vLLM, LiteLLM and OpenRouter answer. */
  @Override
  public Future<List<String>> models() {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(modelsEndpoint)
        .setTimeout(MODELS_TIMEOUT_MS).putHeader(HttpHeaders.ACCEPT, "application/json");
    if (!apiKey.isEmpty()) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
    }
    return client.request(options).compose(request -> request.send()).compose(response -> {
      if (response.statusCode() / 100 != 2) {
        return Future.failedFuture("the models list answered " + response.statusCode());
      }
      return response.body();
    }).map(body -> {
      if (body.length() > MAX_MODELS_BODY) {
        throw new IllegalStateException("the models list is too long");
      }
      List<String> names = new ArrayList<>();
      JsonArray data = new JsonObject(body).getJsonArray("data");
      for (Object item : data == null ? new JsonArray() : data) {
        if (item instanceof JsonObject model && model.getValue("id") instanceof String id && !id.isBlank()) {
          names.add(id);
        }
      }
      return names;
    }).recover(failure -> Future.failedFuture(redact(failure.getMessage())));
  }

  @Override
  public void close() {
    client.close();
  }

  /** A TCP connection to the API's host: proves it is reachable without spending a request. */
  @Override
  public Future<JsonObject> ping() {
    URI uri = URI.create(endpoint);
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000));
    return net.connect(port, uri.getHost())
        .compose(socket -> socket.close())
        .map(v -> new JsonObject().put("provider", name).put("endpoint", uri.getHost() + ":" + port))
        .eventually(net::close);
  }

  /** The chat's system prompt first, then the path; the temperature only when the chat has one. */
  static JsonObject requestBody(ModelRequest request, List<ChatMessage> conversation) {
    JsonArray messages = new JsonArray();
    if (request.systemPrompt() != null) {
      messages.add(new JsonObject().put("role", "system").put("content", request.systemPrompt()));
    }
    for (ChatMessage message : conversation) {
      boolean failedEmptyReply = message.sender() == Sender.BOT && message.content().isEmpty()
          && message.status() != MessageStatus.COMPLETE;
      if (!failedEmptyReply) {
        messages.add(new JsonObject()
            .put("role", message.sender() == Sender.USER ? "user" : "assistant")
            .put("content", message.content()));
      }
    }
    // Usage comes in a last chunk: what /api/me, the admins' list and the daily quota count.
    JsonObject body = new JsonObject().put("model", request.model()).put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", messages);
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    return body;
  }

  @Override
  public ModelBackend.ModelCall stream(ModelRequest modelRequest, List<ChatMessage> conversation, ModelBackend.Listener listener) {
    Call call = new Call(listener);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(endpoint)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, "text/event-stream");
    if (!apiKey.isEmpty()) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
    }
    call.armStallTimer();
    client.request(options)
        .compose(request -> {
          call.request = request;
          if (call.cancelled) {
            request.reset();
          }
          return request.send(requestBody(modelRequest, conversation).toBuffer());
        })
        .onSuccess(call::receive)
        .onFailure(failure -> call.fail("could not reach the model: " + redact(failure.getMessage())));
    return call;
  }

  /** Whatever an upstream says goes to people and logs: it must never carry the key. */
  String redact(String text) {
    if (text == null) {
      return "no detail";
    }
    return apiKey.isEmpty() ? text : text.replace(apiKey, "***");
  }

  private final class Call implements ModelBackend.ModelCall, ModelBackend.Listener {
    private final ModelBackend.Listener listener;
    private HttpClientRequest request;
    private boolean cancelled;
    private boolean finished;
    private long stallTimer = -1;
    private long lastActivity;

    Call(ModelBackend.Listener listener) {
      this.listener = listener;
    }

    /**
     * Watches for a model that goes quiet. Each chunk that arrives only stamps the time (re-arming
     * a timer per token would churn the scheduler); a periodic check, a quarter of the timeout
     * apart, fails the reply once nothing has come for the whole timeout. A model that sends
     * without end but never finishes an event is stopped by the reader's size limit instead.
     */
    void armStallTimer() {
      lastActivity = System.nanoTime();
      // Bytes after the end (a last comment, a trailing line break) must not start a timer nobody stops.
      if (stallTimer >= 0 || finished) {
        return;
      }
      stallTimer = vertx.setPeriodic(Math.max(10, idleTimeoutMs / 4), id -> {
        if (System.nanoTime() - lastActivity >= idleTimeoutMs * 1_000_000L) {
          stopStallTimer();
          fail("the model sent nothing for " + (idleTimeoutMs / 1000.0) + " s");
        }
      });
    }

    void receive(HttpClientResponse response) {
      if (finished) {
        return;
      }
      armStallTimer();
      if (response.statusCode() / 100 != 2) {
        explainRefusal(response);
        return;
      }
      ChatCompletionDecoder decoder = new ChatCompletionDecoder(this);
      response.handler(chunk -> {
        armStallTimer();
        decoder.feed(chunk);
      });
      response.exceptionHandler(e -> fail("the connection to the model broke: " + redact(e.getMessage())));
      response.endHandler(v -> decoder.end());
    }

    private void explainRefusal(HttpClientResponse response) {
      Buffer body = Buffer.buffer();
      String status = "the model's API answered " + response.statusCode();
      response.handler(chunk -> {
        if (body.length() < MAX_ERROR_BODY) {
          body.appendBuffer(chunk);
        }
      });
      response.exceptionHandler(e -> fail(status));
      response.endHandler(v -> {
        String detail;
        try {
          detail = ChatCompletionDecoder.errorText(new JsonObject(body));
        } catch (DecodeException | ClassCastException e) {
          detail = body.toString().strip();
        }
        if (detail.length() > 300) {
          detail = detail.substring(0, 300) + "…";
        }
        fail(detail.isEmpty() ? status : status + ": " + redact(detail));
      });
    }

    @Override
    public void cancel() {
      cancelled = true;
      finished = true;
      stopStallTimer();
      if (request != null) {
        request.reset();
      }
    }

    void fail(String reason) {
      if (finished) {
        return;
      }
      onError(reason);
      if (request != null) {
        request.reset();
      }
    }

    private void stopStallTimer() {
      if (stallTimer >= 0) {
        vertx.cancelTimer(stallTimer);
        stallTimer = -1;
      }
    }

    @Override
    public void onText(String piece) {
      if (!finished) {
        listener.onText(piece);
      }
    }

    @Override
    public void onUsage(long promptTokens, long completionTokens) {
      if (!finished) {
        listener.onUsage(promptTokens, completionTokens);
      }
    }

    @Override
    public void onComplete() {
      if (!finished) {
        finished = true;
        stopStallTimer();
        listener.onComplete();
      }
    }

    @Override
    public void onError(String reason) {
      if (!finished) {
        finished = true;
        stopStallTimer();
        listener.onError(reason);
      }
    }
  }
}
