package parley.bridge;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** The bridge's wire protocol, by hand: what a Python or Go service would write. */
final class BridgeClient {
  final NetSocket socket;
  /** Copy-on-write: tests read it on their thread while the socket's event loop adds to it. */
  final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<Predicate<JsonObject>, Promise<JsonObject>>> waiting = new ArrayList<>();
  private final Promise<Void> closed = Promise.promise();

  private BridgeClient(NetSocket socket) {
    this.socket = socket;
  }

  /** A port nothing listens on right now, for a node's bridge. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Future<BridgeClient> connect(Vertx vertx, int port) {
    return connect(vertx, "127.0.0.1", port);
  }

  static Future<BridgeClient> connect(Vertx vertx, String host, int port) {
    return vertx.createNetClient().connect(port, host).map(socket -> {
      BridgeClient client = new BridgeClient(socket);
      socket.closeHandler(v -> client.closed.tryComplete());
      RecordParser frames = RecordParser.newFixed(4, socket);
      int[] length = {-1};
      frames.handler(chunk -> {
        if (length[0] < 0) {
          length[0] = chunk.getInt(0);
          frames.fixedSizeMode(length[0]);
        } else {
          client.arrived(new JsonObject(chunk));
          length[0] = -1;
          frames.fixedSizeMode(4);
        }
      });
      return client;
    });
  }

  void write(JsonObject frame) {
    writePayload(frame.toBuffer());
  }

  /** Any bytes as one frame's payload, JSON or not. */
  void writePayload(Buffer payload) {
    socket.write(Buffer.buffer().appendInt(payload.length()).appendBuffer(payload));
  }

  /**
   * The first frame, already received or yet to come, that matches. Synchronized with {@link
   * #arrived}: the test's thread asks while the socket's event loop delivers.
   */
  synchronized Future<JsonObject> frame(Predicate<JsonObject> matching) {
    for (JsonObject frame : received) {
      if (matching.test(frame)) {
        return Future.succeededFuture(frame);
      }
    }
    return nextFrame(matching);
  }

  /** The first matching frame among those still to come. */
  synchronized Future<JsonObject> nextFrame(Predicate<JsonObject> matching) {
    Promise<JsonObject> promise = Promise.promise();
    waiting.add(Map.entry(matching, promise));
    return promise.future();
  }

  /** Completes when the server closes the connection (or the test does). */
  Future<Void> closed() {
    return closed.future();
  }

  private void arrived(JsonObject frame) {
    List<Map.Entry<Predicate<JsonObject>, Promise<JsonObject>>> matched;
    synchronized (this) {
      received.add(frame);
      matched = waiting.stream().filter(wait -> wait.getKey().test(frame)).toList();
      waiting.removeAll(matched);
    }
    // Completing may register new waits: only after the list is settled, and outside the lock.
    matched.forEach(wait -> wait.getValue().complete(frame));
  }
}
