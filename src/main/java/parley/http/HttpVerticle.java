package parley.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Clock;
import parley.auth.Authenticator;
import parley.auth.OidcProvider;
import parley.config.Settings;
import parley.store.AccountsClient;

/** The REST and SSE routes of the API and the web front end. Talks to the rest only over the bus. */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  /** On the classpath (see pom.xml); a folder of that name in the working directory would win. */
  private static final String WEBROOT = "parley/webroot";
  private static final long YEAR_SECONDS = 365L * 24 * 3600;

  private final Settings settings;
  private ChatRoutes chats;
  private Authenticator authenticator;
  private HttpServer server;

  public HttpVerticle(Settings settings) {
    this.settings = settings;
  }

  /** The port the server listens on (useful when the settings asked for any free port, 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    ConnectionLimits connections = new ConnectionLimits(vertx, settings);
    connections.mount(router);
    SecurityHeaders.mount(router, settings);
    LocalAccess.mount(router, settings);
    CsrfCheck.mount(router, settings);
    ErrorAnswers errors = new ErrorAnswers(settings.maxBodyBytes());
    AccountsClient accounts = new AccountsClient(vertx.eventBus());
    authenticator = new Authenticator(vertx, accounts, Clock.systemUTC(), OidcProvider.of(vertx, settings.access(), Clock.systemUTC()));
    Authentication authentication = new Authentication(authenticator, settings.access());
    AccountRoutes accountRoutes = new AccountRoutes(authenticator, accounts, authentication, settings.access());

    router.get("/health").handler(authentication::optional);
    Health.mount(router, vertx);

    // Who asks is known before any body is read or judged: without a valid credential, every
    // /api route but /api/auth/* answers 401, whatever the body's type or size.
    router.routeWithRegex("^/api/(?!auth/).*").handler(Bodies::holdUnread).handler(authentication::required);
    TransferRoutes transfers = new TransferRoutes(vertx, settings);
    // Before the body handler below: an import's file is read by its own route, with its own limit.
    transfers.mountImport(router);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()));
    accountRoutes.mountOpen(router);
    if (settings.access().mode() == Settings.AuthMode.OIDC) {
      new OidcRoutes(authenticator, authentication, settings.access()).mount(router, errors);
    }
    accountRoutes.mountSignedIn(router);
    chats = new ChatRoutes(vertx, settings);
    chats.mount(router);
    transfers.mountExport(router);
    router.route("/api/*").failureHandler(errors::handle);
    // The router's own refusals (no route, no such method, …), answered in JSON too.
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, errors::handle);
    }

    // Vite names assets by their content hash: cache them for good, but always revalidate the page.
    router.get("/assets/*").handler(StaticHandler.create(WEBROOT + "/assets").setCachingEnabled(true).setMaxAgeSeconds(YEAR_SECONDS));
    router.getWithRegex("^(?!/api/|/assets/|/auth/).*").handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      ctx.next();
    }).handler(StaticHandler.create(WEBROOT).setCachingEnabled(false).setIndexPage("index.html"));

    return authenticator.start().compose(v -> vertx
        .createHttpServer(connections.options(new HttpServerOptions().setCompressionSupported(false)))
        .connectionHandler(connections::connected)
        .requestHandler(router)
        .listen(settings.httpPort(), settings.httpHost())
        .map(started -> {
          server = started;
          LOG.info("HTTP on {}:{}", settings.httpHost(), started.actualPort());
          return started;
        }));
  }

  @Override
  public Future<?> stop() {
    if (chats != null) {
      chats.closeStreams();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(authenticator::stop);
  }
}
