package parley;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.http.HttpVerticle;
import parley.llm.LlmProxyVerticle;
import parley.store.EmbeddedMongo;
import parley.store.MessageStore;
import parley.store.PersistenceVerticle;

/**
 * One Parley node on a Vertx (plain or clustered): the store (embedded unless a MongoDB is
 * configured) and the three verticles. Stopping ends running replies first (stored as interrupted,
 * watchers told), then closes HTTP, then the store.
 */
public final class ParleyNode {
  private static final Logger LOG = LoggerFactory.getLogger(ParleyNode.class);

  private final Vertx vertx;
  private final Settings settings;
  private final String nodeId;
  private EmbeddedMongo embedded;
  private HttpVerticle http;
  private String persistenceDeployment;
  private String llmDeployment;
  private String httpDeployment;

  private ParleyNode(Vertx vertx, Settings settings, String nodeId) {
    this.vertx = vertx;
    this.settings = settings;
    this.nodeId = nodeId;
  }

  public static Future<ParleyNode> start(Vertx vertx, Settings settings) {
    return start(vertx, settings, UUID.randomUUID().toString());
  }

  /** @param nodeId this node's name in the cluster (the cluster manager's node id when clustered) */
  public static Future<ParleyNode> start(Vertx vertx, Settings settings, String nodeId) {
    ParleyNode node = new ParleyNode(vertx, settings, nodeId);
    return node.deploy().map(node).recover(failure -> node.stop().transform(v -> Future.failedFuture(failure)));
  }

  private Future<Void> deploy() {
    return openStore()
        .compose(mongoConfig -> vertx.deployVerticle(new PersistenceVerticle(mongoConfig, durability(), !settings.cluster())))
        .compose(id -> {
          persistenceDeployment = id;
          return vertx.deployVerticle(new LlmProxyVerticle(settings, nodeId));
        })
        .compose(id -> {
          llmDeployment = id;
          http = new HttpVerticle(settings);
          return vertx.deployVerticle(http);
        })
        .map(id -> {
          httpDeployment = id;
          LOG.info("Parley is up on port {}: {}", http.actualPort(), settings);
          return null;
        });
  }

  private Future<JsonObject> openStore() {
    JsonObject config = new JsonObject()
        .put("db_name", settings.mongoDb())
        .put("serverSelectionTimeoutMS", 5000)
        .put("connectTimeoutMS", 5000);
    if (!settings.embeddedStore()) {
      LOG.info("Store: MongoDB at {}", settings.redactedMongoUri());
      return Future.succeededFuture(config.put("connection_string", settings.mongoUri()));
    }
    return vertx.executeBlocking(() -> EmbeddedMongo.start(settings.dataDir(), (int) settings.storeCommitMs())).map(started -> {
      embedded = started;
      LOG.info("Store: embedded (mongo-java-server, H2) in {}; set PARLEY_MONGO_URI to use a real MongoDB", started.file());
      return config.put("connection_string", started.connectionString());
    });
  }

  private MessageStore.Durability durability() {
    EmbeddedMongo store = embedded;
    if (store == null) {
      return MessageStore.Durability.NONE;
    }
    return store.durability(vertx);
  }

  public int httpPort() {
    return http.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  public String nodeId() {
    return nodeId;
  }

  /**
   * Replies first, while HTTP still carries their end events to watchers (a send meanwhile gets
   * 503), then HTTP, then the store.
   */
  public Future<Void> stop() {
    return undeploy(llmDeployment)
        .compose(v -> undeploy(httpDeployment))
        .compose(v -> undeploy(persistenceDeployment))
        .eventually(() -> {
          if (embedded == null) {
            return Future.succeededFuture();
          }
          EmbeddedMongo store = embedded;
          embedded = null;
          return vertx.executeBlocking(() -> {
            store.close();
            return null;
          });
        })
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
