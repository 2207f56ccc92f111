package parley.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.List;
import parley.chat.ChatId;
import parley.chat.ChatSummary;
import parley.chat.ErrorCode;
import parley.chat.Rejection;
import parley.config.Settings;
import parley.store.StoreClient;
import parley.transfer.ExportFormat;
import parley.transfer.ImportIds;
import parley.transfer.ImportReader;
import parley.transfer.MarkdownExport;
import parley.transfer.ParleyFormat;

/**
 * Taking chats out and bringing them in: {@code GET /api/chats/:chatId/export} (Markdown of the
 * path the chat shows, or JSON of its whole tree, as a download) and {@code POST /api/import}
 * (Parley's export or ChatGPT's {@code conversations.json}, stored all or nothing).
 *
 * <p>An import's body may be far larger than any other ({@code PARLEY_MAX_IMPORT_BYTES}), so its
 * route reads it itself, and only once the caller is known: a declared length over the limit is
 * refused before anything is read, a body that grows past it as soon as it does, and a stranger
 * never gets a large body read at all.
 */
final class TransferRoutes {
  static final String IMPORT_PATH = "/api/import";
  /**
   * Imports being read or written on this node at once. Each holds its file and what the file is
   * read into (several times its size) until it is stored; more at once would let a few callers
   * fill the node's memory. Past it, {@code 429} and the body is not read.
   */
  static final int IMPORTS_AT_ONCE = 2;
  private static final long IMPORT_RETRY_AFTER_SECONDS = 5;

  private final Vertx vertx;
  private final Settings settings;
  private final StoreClient store;
  private int importsUnderWay;

  TransferRoutes(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.store = new StoreClient(vertx.eventBus());
  }

  /**
   * Mounted after authentication and before the body handler of the other {@code /api} routes,
   * which the import route's own handlers take the place of: that route ends every request it takes.
   */
  void mountImport(Router router) {
    router.post(IMPORT_PATH).handler(this::admitImport);
    // A route of its own: Vert.x keeps body handlers ahead of a route's other handlers.
    router.post(IMPORT_PATH).handler(BodyHandler.create(false).setBodyLimit(settings.maxImportBytes()));
    router.post(IMPORT_PATH).handler(this::importChats);
  }

  void mountExport(Router router) {
    router.get("/api/chats/:chatId/export").handler(this::export);
  }

  private void export(RoutingContext ctx) {
    ChatId chatId = ChatId.parse(ctx.pathParam("chatId"));
    ExportFormat format = ExportFormat.parse(ctx.request().getParam("format"));
    store.exportChat(chatId, RequestCaller.get(ctx).userId()).compose(chat -> vertx.executeBlocking(() -> {
      // A chat of many thousand messages makes megabytes of text: not on the event loop.
      String body = format == ExportFormat.MD
          ? MarkdownExport.write(chat)
          : ParleyFormat.write(List.of(chat), Instant.now()).encodePrettily();
      return new Download(chat.fileName(format.extension()), Buffer.buffer(body));
    }, false)).onSuccess(download -> {
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
          .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + download.fileName() + "\"")
          // A chat is private whatever form it takes: no cache keeps a copy.
          .putHeader(HttpHeaders.CACHE_CONTROL, SecurityHeaders.NO_STORE)
          .end(download.body());
    }).onFailure(ctx::fail);
  }

  private record Download(String fileName, Buffer body) {}

  /** Everything that can be refused before the body is read, and a place among the imports under way. */
  private void admitImport(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!SecurityHeaders.isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      throw new Rejection(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the export file as Content-Type: application/json");
    }
    ErrorAnswers.bodyLimit(ctx, settings.maxImportBytes());
    if (declaredLength(request) > settings.maxImportBytes()) {
      ctx.fail(413);
      return;
    }
    if (importsUnderWay >= IMPORTS_AT_ONCE) {
      throw new Rejection(ErrorCode.RATE_LIMITED, "other imports are under way on this node: try again in a few seconds",
          IMPORT_RETRY_AFTER_SECONDS);
    }
    ImportSlot slot = new ImportSlot();
    ctx.put(ImportSlot.KEY, slot);
    ctx.addEndHandler(done -> slot.requestOver());
    ctx.next();
  }

  private void importChats(RoutingContext ctx) {
    String userId = RequestCaller.get(ctx).userId();
    Buffer file = ctx.body().buffer();
    ImportSlot slot = ctx.get(ImportSlot.KEY);
    slot.workStarted();
    // Reading and checking a file of many megabytes takes a while: not on the event loop, which
    // carries every stream of this node.
    vertx.executeBlocking(() -> ImportReader.read(file, settings.maxImportMessages(), ImportIds.NEW, Instant.now()), false)
        .compose(chats -> store.importChats(userId, chats))
        .andThen(done -> slot.workOver())
        .onSuccess(stored -> {
          JsonArray chats = new JsonArray();
          stored.forEach(chat -> {
            JsonObject line = (JsonObject) chat;
            chats.add(new JsonObject().put("chatId", line.getValue("chatId"))
                .put(ChatSummary.TITLE, line.getValue(ChatSummary.TITLE)).put("messageCount", line.getValue("messageCount")));
          });
          ctx.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
              .end(new JsonObject().put("chats", chats).encode());
        })
        .onFailure(ctx::fail);
  }

  /** The Content-Length the client announced, or -1 (none, or chunked). */
  private static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * A place among the imports under way, held until both the request is over (answered, or its
   * connection gone) and the work it began (reading the file, storing the chats) is done: a caller
   * who hangs up does not free a place while its import still runs.
   */
  private final class ImportSlot {
    static final String KEY = "parley.importSlot";
    private boolean requestOver;
    private boolean working;
    private boolean released;

    ImportSlot() {
      importsUnderWay++;
    }

    void requestOver() {
      requestOver = true;
      releaseWhenIdle();
    }

    void workStarted() {
      working = true;
    }

    void workOver() {
      working = false;
      releaseWhenIdle();
    }

    private void releaseWhenIdle() {
      if (requestOver && !working && !released) {
        released = true;
        importsUnderWay--;
      }
    }
  }
}
