package parley.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link Keycloak} for the whole test run, whichever test class asks first; closed when the
 * run ends (JUnit closes what the root store holds). A test class (or one test method, extended
 * by it alone) gets it as a parameter. Where Keycloak cannot run (no Java 21+), the tests that need
 * it are skipped, and say why.
 */
public final class WithKeycloak implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WithKeycloak.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    started(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    started(context);
  }

  private static void started(ExtensionContext context) {
    Optional<String> unavailable = Keycloak.unavailable();
    assumeTrue(unavailable.isEmpty(), () -> "Keycloak tests skipped: " + unavailable.orElseThrow());
    keycloak(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Keycloak.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return keycloak(context);
  }

  private static Keycloak keycloak(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Keycloak.class, type -> {
      try {
        return Keycloak.start();
      } catch (Exception e) {
        throw new IllegalStateException("Keycloak did not start", e);
      }
    }, Keycloak.class);
  }
}
