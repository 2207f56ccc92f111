package parley.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;

/**
 * The store a node uses when no MongoDB is configured: mongo-java-server with its H2 backend, in
 * this process, on a loopback port, keeping its data in one file under the data directory. The
 * Mongo client talks to it over the real wire protocol, exactly as it would to a real MongoDB.
 *
 * <p>H2 commits on a timer, so a write acknowledged to the client may not be on disk yet. We
 * shorten that timer and commit at once when the persistence verticle asks for it (after the
 * writes that must survive a crash: a new exchange and a reply's final state).
 */
public final class EmbeddedMongo implements AutoCloseable {
  public static final String FILE_NAME = "parley.mv.db";

  private final MVStore mvStore;
  private final H2Backend backend;
  private final MongoServer server;
  private final String connectionString;
  private final Path file;

  private EmbeddedMongo(Path file, int autoCommitDelayMs) {
    this.file = file;
    this.mvStore = new MVStore.Builder().fileName(file.toString()).open();
    mvStore.setAutoCommitDelay(autoCommitDelayMs);
    this.backend = new H2Backend(mvStore);
    this.server = new MongoServer(backend);
    server.bind("127.0.0.1", 0);
    this.connectionString = server.getConnectionString();
  }

  public static EmbeddedMongo start(Path dataDir, int autoCommitDelayMs) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDir.toAbsolutePath(), e);
    }
    return new EmbeddedMongo(dataDir.resolve(FILE_NAME).toAbsolutePath(), autoCommitDelayMs);
  }

  public String connectionString() {
    return connectionString;
  }

  public Path file() {
    return file;
  }

  /** Writes everything acknowledged so far to disk. Blocking: call it off the event loop. */
  public void commit() {
    backend.commit();
  }

  @Override
  public void close() {
    server.shutdownNow();
    if (!mvStore.isClosed()) {
      mvStore.close();
    }
  }
}
