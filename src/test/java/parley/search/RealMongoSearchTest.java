package parley.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;
import parley.support.LogCapture;

/** Search on a real mongod (its text indexes, textScore), via Testcontainers; skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoSearchTest extends SearchOnMongoContract {
  @Container static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0");

  @BeforeAll
  static void start(@TempDir Path dataDir) {
    try (LogCapture logs = new LogCapture()) {
      startOn(dataDir, MONGO.getConnectionString());
      assertThat(logs.lines()).anyMatch(line -> line.startsWith("Search: MongoDB's text indexes on messages and chat titles"));
    }
  }
}
