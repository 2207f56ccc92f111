package parley.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP proxy on loopback that a test can cut (every connection closed, new ones refused) and restore. */
public final class CuttableProxy {
  private final Vertx vertx;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private volatile boolean cut;

  private CuttableProxy(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createNetClient();
  }

  public static Future<CuttableProxy> start(Vertx vertx, String targetHost, int targetPort) {
    CuttableProxy proxy = new CuttableProxy(vertx);
    return vertx.createNetServer()
        .connectHandler(inbound -> {
          if (proxy.cut) {
            inbound.close();
            return;
          }
          inbound.pause();
          proxy.client.connect(targetPort, targetHost).onComplete(connected -> {
            if (connected.failed()) {
              inbound.close();
              return;
            }
            NetSocket outbound = connected.result();
            proxy.sockets.add(inbound);
            proxy.sockets.add(outbound);
            inbound.pipeTo(outbound);
            outbound.pipeTo(inbound);
            inbound.resume();
          });
        })
        .listen(0, "127.0.0.1")
        .map(server -> {
          proxy.server = server;
          return proxy;
        });
  }

  public int port() {
    return server.actualPort();
  }

  public void cut() {
    cut = true;
    vertx.runOnContext(v -> {
      sockets.forEach(NetSocket::close);
      sockets.clear();
    });
  }

  public void restore() {
    cut = false;
  }

  public Future<Void> close() {
    return server.close().eventually(client::close);
  }
}
