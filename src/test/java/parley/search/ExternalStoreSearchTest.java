package parley.search;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import parley.support.LogCapture;

/**
 * Search on an external mongo-java-server, which has no text search: the node finds that out at
 * start, says so once, and scans the caller's messages instead, with the same results.
 */
class ExternalStoreSearchTest extends SearchOnMongoContract {
  private static MongoServer mongo;

  @BeforeAll
  static void start(@TempDir Path dataDir) {
    mongo = new MongoServer(H2Backend.inMemory());
    String uri = mongo.bindAndGetConnectionString();
    try (LogCapture logs = new LogCapture()) {
      startOn(dataDir, uri);
      assertThat(logs.lines()).anyMatch(line -> line.startsWith("Search: this MongoDB-wire server has no text search"));
    }
  }

  /** The node before its store. */
  @AfterAll
  static void stopStore() {
    stopShared();
    mongo.shutdownNow();
  }
}
