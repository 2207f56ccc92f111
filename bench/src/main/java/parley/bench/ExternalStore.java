package parley.bench;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;

/**
 * A MongoDB-wire server in memory, in its own process, for the Node peer and for Parley on an
 * external store: {@code ExternalStore <port>}. Runs until killed.
 */
public final class ExternalStore {
  private ExternalStore() {}

  public static void main(String[] args) throws InterruptedException {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
    System.out.println("external store listening on " + args[0]);
    Thread.currentThread().join();
  }
}
