package parley.http;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import parley.bus.Addresses;

/** {@code GET /health}: each verticle pings what it depends on, on this node: the store, the model. */
final class Health {
  private static final long CHECK_TIMEOUT_MS = 3000;
  private static final long PING_TIMEOUT_MS = 2500;

  private Health() {}

  static void mount(Router router, Vertx vertx) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("store", CHECK_TIMEOUT_MS, promise -> ping(vertx, Addresses.STORE_PING, promise));
    checks.register("model", CHECK_TIMEOUT_MS, promise -> ping(vertx, Addresses.MODEL_PING, promise));
    router.get("/health").handler(new HealthAccess(checks)).handler(HealthCheckHandler.createWithHealthChecks(checks));
  }

  private static void ping(Vertx vertx, String address, Promise<Status> promise) {
    vertx.eventBus().<JsonObject>request(address, new JsonObject(), new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
        .onSuccess(reply -> promise.complete(Status.OK(reply.body())))
        .onFailure(failure -> promise.complete(Status.KO(new JsonObject().put("error", failure.getMessage()))));
  }
}
