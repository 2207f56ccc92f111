package parley.support;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node with accounts ({@code PARLEY_AUTH=local}, sign-up open) shared by the tests of a class,
 * and its first account, the admin {@code root}, made before anything else.
 */
public abstract class WithAccountsNode {
  public static final String PASSWORD = "correct horse battery";

  protected static RunningNode shared;
  protected static ApiClient admin;

  @BeforeAll
  static void startSharedNode(@TempDir Path dataDir) {
    shared = RunningNode.start(dataDir, Map.of("PARLEY_AUTH", "local", "PARLEY_SIGNUP", "open"));
    admin = ApiClient.signUp(shared.node(), "root", PASSWORD);
  }

  @AfterAll
  static void stopSharedNode() {
    shared.close();
  }
}
