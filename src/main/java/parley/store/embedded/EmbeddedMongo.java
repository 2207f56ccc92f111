package parley.store.embedded;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.h2.mvstore.MVStore;

/**
 * The store a node uses when no MongoDB is configured: mongo-java-server with its H2 backend, in
 * this process, on a loopback port, keeping its data in one file under the data directory. The
 * Mongo client talks to it over the real wire protocol, exactly as it would to a real MongoDB.
 *
 * <p>H2 commits on a timer, so a write acknowledged over the wire may not be in the file yet. The
 * persistence verticle therefore asks for a commit ({@link #commit}) after each of its writes and
 * acknowledges only after it; commits asked for while one runs are served by the next one
 * ({@link GroupCommit}).
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
    this.backend = new KeyTypedH2Backend(mvStore);
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

  /** The H2 maps in the file (for tests of its layout). */
  Set<String> mapNames() {
    return mvStore.getMapNames();
  }

  public Path file() {
    return file;
  }

  /** Writes everything acknowledged so far to the file. Blocking: call it off the event loop. */
  void commit() {
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
