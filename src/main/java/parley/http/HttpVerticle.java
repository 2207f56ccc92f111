package parley.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.Settings;
import parley.chat.Addresses;
import parley.chat.ChatId;
import parley.chat.HistoryQuery;
import parley.chat.NewMessage;
import parley.chat.Rejection;
import parley.llm.ReplyClient;
import parley.store.StoreClient;

/** The REST and SSE routes of API.md and the web front end. Talks to the rest only over the bus. */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  /** On the classpath (see pom.xml); a folder of that name in the working directory would win. */
  private static final String WEBROOT = "parley/webroot";
  private static final long YEAR_SECONDS = 365L * 24 * 3600;

  private final Settings settings;
  private final Set<SseSubscriber> subscribers = new HashSet<>();
  private StreamLimits limits;
  private HttpServer server;
  private ReplyClient replies;
  private StoreClient store;

  public HttpVerticle(Settings settings) {
    this.settings = settings;
  }

  /** The port the server listens on (useful when the settings asked for any free port, 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    replies = new ReplyClient(vertx);
    store = new StoreClient(vertx.eventBus());
    limits = new StreamLimits(settings.maxStreams(), settings.maxStreamsPerIp());
    Router router = Router.router(vertx);

    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(healthChecks()));

    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()));
    router.post("/api/messages").handler(this::send);
    router.get("/api/messages/:chatId").handler(this::history);
    router.get("/api/chats").handler(ctx -> store.chats().onSuccess(chats -> ctx.json(chats)).onFailure(ctx::fail));
    router.delete("/api/chats/:chatId").handler(this::deleteChat);
    router.get("/api/stream/:chatId").handler(this::stream);
    router.post("/api/stream/:chatId/terminate").handler(this::terminate);
    router.route("/api/*").failureHandler(this::jsonError);
    // Unmatched paths and methods: the router's own 404 and 405, answered in JSON too.
    router.errorHandler(404, this::jsonError);
    router.errorHandler(405, this::jsonError);

    // Vite names assets by their content hash: cache them for good, but always revalidate the page.
    router.get("/assets/*").handler(StaticHandler.create(WEBROOT + "/assets").setCachingEnabled(true).setMaxAgeSeconds(YEAR_SECONDS));
    router.getWithRegex("^(?!/api/|/assets/).*").handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      ctx.next();
    }).handler(StaticHandler.create(WEBROOT).setCachingEnabled(false).setIndexPage("index.html"));

    return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(false))
        .requestHandler(router)
        .listen(settings.httpPort(), settings.httpHost())
        .map(started -> {
          server = started;
          LOG.info("HTTP on {}:{}", settings.httpHost(), started.actualPort());
          return started;
        });
  }

  @Override
  public Future<?> stop() {
    new ArrayList<>(subscribers).forEach(SseSubscriber::close);
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void send(RoutingContext ctx) {
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw new Rejection(Rejection.UNSUPPORTED_MEDIA_TYPE, "send the message as Content-Type: application/json");
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw Rejection.badRequest("the body is not a JSON object");
    }
    NewMessage sent = NewMessage.fromJson(body);
    replies.send(sent)
        .onSuccess(exchange -> ctx.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(exchange.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private void history(RoutingContext ctx) {
    HistoryQuery query = HistoryQuery.fromParams(
        ctx.pathParam("chatId"), ctx.request().getParam("limit"), ctx.request().getParam("before"));
    store.history(query).onSuccess(messages -> {
      JsonArray array = new JsonArray();
      messages.forEach(message -> array.add(message.toJson()));
      ctx.json(array);
    }).onFailure(ctx::fail);
  }

  private void deleteChat(RoutingContext ctx) {
    ChatId chatId = ChatId.parse(ctx.pathParam("chatId"));
    replies.terminate(chatId, true)
        .compose(wasRunning -> store.deleteChat(chatId))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void terminate(RoutingContext ctx) {
    ChatId chatId = ChatId.parse(ctx.pathParam("chatId"));
    replies.terminate(chatId, false)
        .onSuccess(terminated -> ctx.json(new JsonObject().put("terminated", terminated)))
        .onFailure(ctx::fail);
  }

  private void stream(RoutingContext ctx) {
    ChatId chatId = ChatId.parse(ctx.pathParam("chatId"));
    long lastEventId = lastEventId(ctx.request().getHeader("Last-Event-ID"));
    String client = ctx.request().remoteAddress().host();
    String refused = limits.tryAcquire(client);
    if (refused != null) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      throw new Rejection(Rejection.TOO_MANY_REQUESTS, refused);
    }
    SseSubscriber subscriber = new SseSubscriber(vertx, ctx.response(), chatId, replies,
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

  /** Each verticle pings what it depends on, on this node: the store, the model. */
  private HealthChecks healthChecks() {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("store", 3000, promise -> ping(Addresses.STORE_PING, promise));
    checks.register("model", 3000, promise -> ping(Addresses.MODEL_PING, promise));
    return checks;
  }

  private void ping(String address, Promise<Status> promise) {
    vertx.eventBus().<JsonObject>request(address, new JsonObject(), new DeliveryOptions().setSendTimeout(2500))
        .onSuccess(reply -> promise.complete(Status.OK(reply.body())))
        .onFailure(failure -> promise.complete(Status.KO(new JsonObject().put("error", failure.getMessage()))));
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

  /** Every error answer is {"error": {"message": …}}, whatever went wrong and wherever. */
  private void jsonError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status;
    String message;
    if (failure instanceof Rejection rejection) {
      status = rejection.status();
      message = rejection.getMessage();
    } else if (failure instanceof ReplyException replied && replied.failureCode() >= 400 && replied.failureCode() < 600) {
      status = replied.failureCode();
      message = replied.getMessage();
    } else if (failure instanceof ReplyException) {
      status = 503;
      message = "the service is busy or restarting, try again shortly";
    } else if (failure != null && ctx.statusCode() < 400) {
      LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      status = 500;
      message = "internal error";
    } else {
      status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
      message = switch (status) {
        case 404 -> "no such resource: " + ctx.request().method() + " " + ctx.request().path();
        case 405 -> "method " + ctx.request().method() + " is not allowed here";
        case 413 -> "the body is too large: at most " + settings.maxBodyBytes() + " bytes";
        case 415 -> "unsupported content type";
        default -> "request failed";
      };
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", message)).encode());
  }
}
