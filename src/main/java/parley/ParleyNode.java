package parley;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.bridge.TcpBridgeVerticle;
import parley.cluster.Membership;
import parley.config.Settings;
import parley.http.HttpVerticle;
import parley.llm.LlmProxyVerticle;
import parley.store.MongoDbBackend;
import parley.store.PersistenceVerticle;
import parley.store.StoreBackend;
import parley.store.embedded.EmbeddedStoreBackend;

/**
 * One Parley node on a Vertx (plain or clustered): the store (embedded unless a MongoDB is
 * configured) and the three verticles. Stopping ends running replies first (stored as interrupted,
 * watchers told), then closes HTTP, then the store.
 */
public final class ParleyNode {
  private static final Logger LOG = LoggerFactory.getLogger(ParleyNode.class);

  private final Vertx vertx;
  private final Settings settings;
  private final Membership membership;
  private StoreBackend store;
  private HttpVerticle http;
  private Deployments deployed = Deployments.NONE;

  /** The deployment ids of a node's verticles, as far as it got; null for one not (yet) deployed. */
  private record Deployments(String persistence, String llm, String http, String bridge) {
    static final Deployments NONE = new Deployments(null, null, null, null);

    Deployments withPersistence(String id) {
      return new Deployments(id, llm, http, bridge);
    }

    Deployments withLlm(String id) {
      return new Deployments(persistence, id, http, bridge);
    }

    Deployments withHttp(String id) {
      return new Deployments(persistence, llm, id, bridge);
    }

    Deployments withBridge(String id) {
      return new Deployments(persistence, llm, http, id);
    }
  }

  private ParleyNode(Vertx vertx, Settings settings, Membership membership) {
    this.vertx = vertx;
    this.settings = settings;
    this.membership = membership;
  }

  /** A node on its own. */
  public static Future<ParleyNode> start(Vertx vertx, Settings settings) {
    return start(vertx, settings, Membership.single(UUID.randomUUID().toString()));
  }

  /** A node of a cluster: {@code vertx} is clustered, and {@code membership} tells who else is there. */
  public static Future<ParleyNode> start(Vertx vertx, Settings settings, Membership membership) {
    try {
      settings.check();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    ParleyNode node = new ParleyNode(vertx, settings, membership);
    return node.deploy().map(node).recover(failure -> node.stop().transform(v -> Future.failedFuture(failure)));
  }

  private Future<Void> deploy() {
    return openStore()
        .compose(backend -> vertx.deployVerticle(new PersistenceVerticle(backend, settings.access().accounts())))
        .compose(id -> {
          deployed = deployed.withPersistence(id);
          return vertx.deployVerticle(new LlmProxyVerticle(settings, membership));
        })
        .compose(id -> {
          deployed = deployed.withLlm(id);
          http = new HttpVerticle(settings);
          return vertx.deployVerticle(http);
        })
        .compose(id -> {
          deployed = deployed.withHttp(id);
          return settings.bridgeEnabled()
              ? vertx.deployVerticle(new TcpBridgeVerticle(settings.bridgeHost(), settings.bridgePort(), settings.access()))
              : Future.succeededFuture((String) null);
        })
        .map(id -> {
          deployed = deployed.withBridge(id);
          LOG.info("Parley is up on port {}: {}", http.actualPort(), settings);
          return null;
        });
  }

  /** The store of these settings, kept to be closed last. */
  private Future<StoreBackend> openStore() {
    return backendOf(settings).map(opened -> {
      store = opened;
      return opened;
    });
  }

  /** The embedded store, started, unless a MongoDB is configured. */
  private Future<StoreBackend> backendOf(Settings settings) {
    JsonObject clientConfig = new JsonObject()
        .put("db_name", settings.mongoDb())
        .put("serverSelectionTimeoutMS", settings.mongoTimeoutMs())
        .put("connectTimeoutMS", settings.mongoTimeoutMs());
    if (settings.embeddedStore()) {
      return EmbeddedStoreBackend.start(vertx, settings.dataDir(), (int) settings.storeCommitMs(), clientConfig);
    }
    return Future.succeededFuture(MongoDbBackend.at(settings.mongoUri(), settings.redactedMongoUri(), clientConfig));
  }

  /** Once the persistence verticle is gone; nothing to do if the store was never opened, or is closed. */
  private Future<Void> closeStore() {
    StoreBackend opened = store;
    store = null;
    return opened == null ? Future.succeededFuture() : opened.close();
  }

  public int httpPort() {
    return http.actualPort();
  }

  public String nodeId() {
    return membership.nodeId();
  }

  /**
   * Replies first, while HTTP still carries their end events to watchers (a send meanwhile gets
   * 503), then HTTP, then the store.
   */
  public Future<Void> stop() {
    Deployments running = deployed;
    return undeploy(running.bridge())
        .compose(v -> undeploy(running.llm()))
        .compose(v -> undeploy(running.http()))
        .compose(v -> undeploy(running.persistence()))
        .eventually(this::closeStore)
        .mapEmpty();
  }

  private Future<Void> undeploy(String deploymentId) {
    if (deploymentId == null || !vertx.deploymentIDs().contains(deploymentId)) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(deploymentId).otherwise(failure -> {
      LOG.warn("Undeploying {} failed", deploymentId, failure);
      return null;
    });
  }
}
