package parley.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatPatch;
import parley.chat.ErrorCode;
import parley.chat.HistoryQuery;
import parley.chat.ModelIds;
import parley.chat.NewMessage;
import parley.chat.Rejection;
import parley.chat.SearchQuery;
import parley.config.Settings;
import parley.llm.ReplyClient;
import parley.store.StoreClient;

/**
 * The chat routes of the API: send, regenerate, history (one path of the tree), the models, the
 * chat list, a chat's settings, delete, search, watch (SSE) and stop.
 */
final class ChatRoutes {
  private static final long STREAM_RETRY_AFTER_SECONDS = 5;

  private final Vertx vertx;
  private final Settings settings;
  private final ReplyClient replies;
  private final StoreClient store;
  private final StreamLimits limits;
  private final Set<SseSubscriber> subscribers = new HashSet<>();

  ChatRoutes(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.replies = new ReplyClient(vertx);
    this.store = new StoreClient(vertx.eventBus());
    this.limits = new StreamLimits(settings.maxStreams(), settings.maxStreamsPerIp());
  }

  void mount(Router router) {
    router.post("/api/messages").consumes("application/json").handler(this::send);
    router.post("/api/messages/:messageId/regenerate").handler(this::regenerate);
    router.get("/api/messages/:chatId").handler(this::history);
    router.get("/api/models").handler(ctx -> replies.models().onSuccess(ctx::json).onFailure(ctx::fail));
    router.get("/api/chats").handler(ctx -> store.chats(userOf(ctx), "true".equals(ctx.request().getParam("archived")))
        .onSuccess(ctx::json).onFailure(ctx::fail));
    router.patch("/api/chats/:chatId").consumes("application/json").handler(this::patchChat);
    router.delete("/api/chats/:chatId").handler(this::deleteChat);
    router.get("/api/search").handler(this::search);
    router.get("/api/stream/:chatId").handler(this::stream);
    router.post("/api/stream/:chatId/terminate").handler(this::terminate);
  }

  /** Ends every open stream: the node is stopping. */
  void closeStreams() {
    new ArrayList<>(subscribers).forEach(SseSubscriber::close);
  }

  private void send(RoutingContext ctx) {
    NewMessage sent = NewMessage.fromJson(Bodies.object(ctx));
    replies.send(sent, userOf(ctx))
        .onSuccess(exchange -> ctx.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(exchange.toJson().encode()))
        .onFailure(ctx::fail);
  }

  /** The body is optional ({model}); an empty one asks for the chat's model. */
  private void regenerate(RoutingContext ctx) {
    JsonObject body = ctx.body().length() <= 0 ? new JsonObject() : Bodies.object(ctx);
    String model = ModelIds.optional(body.getValue(ChatMessage.MODEL));
    replies.regenerate(ctx.pathParam("messageId"), model, userOf(ctx))
        .onSuccess(exchange -> ctx.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(exchange.toJson().encode()))
        .onFailure(ctx::fail);
  }

  /** Checked whole (the model against the catalog too) before anything is written. */
  private void patchChat(RoutingContext ctx) {
    ChatId chatId = ChatId.parse(ctx.pathParam("chatId"));
    ChatPatch patch = ChatPatch.fromJson(Bodies.object(ctx));
    Future<Boolean> modelKnown = patch.model() == null ? Future.succeededFuture(true) : replies.knowsModel(patch.model());
    modelKnown.compose(known -> known
            ? store.patchChat(chatId, userOf(ctx), patch)
            : Future.failedFuture(Rejection.badRequest("unknown model '" + patch.model() + "': GET /api/models lists them")))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void history(RoutingContext ctx) {
    HistoryQuery query = HistoryQuery.fromParams(ctx.pathParam("chatId"), ctx.request().getParam("limit"),
        ctx.request().getParam("before"), ctx.request().getParam("via"));
    store.history(query, userOf(ctx)).onSuccess(messages -> {
      JsonArray array = new JsonArray();
      messages.forEach(message -> array.add(message.toJson()));
      ctx.json(array);
    }).onFailure(ctx::fail);
  }

  private void search(RoutingContext ctx) {
    SearchQuery query = SearchQuery.fromParams(ctx.request().getParam("q"), ctx.request().getParam("limit"));
    store.search(query, userOf(ctx)).onSuccess(hits -> {
      JsonArray array = new JsonArray();
      hits.forEach(hit -> array.add(hit.toJson()));
      ctx.json(array);
    }).onFailure(ctx::fail);
  }

  private void deleteChat(RoutingContext ctx) {
    ChatId chatId = ChatId.parse(ctx.pathParam("chatId"));
    String userId = userOf(ctx);
    replies.terminate(chatId, true, userId)
        .compose(wasRunning -> store.deleteChat(chatId, userId))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void terminate(RoutingContext ctx) {
    ChatId chatId = ChatId.parse(ctx.pathParam("chatId"));
    replies.terminate(chatId, false, userOf(ctx))
        .onSuccess(terminated -> ctx.json(new JsonObject().put("terminated", terminated)))
        .onFailure(ctx::fail);
  }

  private void stream(RoutingContext ctx) {
    ChatId chatId = ChatId.parse(ctx.pathParam("chatId"));
    long lastEventId = lastEventId(ctx.request().getHeader("Last-Event-ID"));
    String client = ctx.request().remoteAddress().host();
    String refused = limits.tryAcquire(client);
    if (refused != null) {
      throw new Rejection(ErrorCode.RATE_LIMITED, refused, STREAM_RETRY_AFTER_SECONDS);
    }
    SseSubscriber subscriber = new SseSubscriber(vertx, ctx.response(), chatId, userOf(ctx), replies,
        settings.sseKeepAliveMs(), settings.sseMaxPendingEvents());
    subscribers.add(subscriber);
    Runnable gone = () -> {
      if (subscribers.remove(subscriber)) {
        limits.release(client);
      }
    };
    // endHandler, not closeHandler: Vert.x calls it whenever the response is disposed, a closed
    // connection included, and the subscriber owns the response's single closeHandler.
    ctx.response().endHandler(v -> gone.run());
    subscriber.start(lastEventId).onComplete(started -> {
      if (started.failed()) {
        gone.run();
        ctx.fail(started.cause());
      } else if (!started.result()) {
        gone.run();
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private static String userOf(RoutingContext ctx) {
    return RequestCaller.get(ctx).userId();
  }

  static long lastEventId(String header) {
    if (header == null || header.isBlank()) {
      return 0;
    }
    try {
      long id = Long.parseLong(header.trim());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Rejection.badRequest("Last-Event-ID must be a sequence number this stream gave");
  }
}
