package dev.easel.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the shared real infrastructure: a parameter of type {@link Infrastructure}, or a
 * {@link TestDatabase} that is fresh for each test class and shared by its tests.
 *
 * <pre>{@code
 * @ExtendWith(InfrastructureExtension.class)
 * class OutboxTest {
 *   @BeforeAll static void setUp(Infrastructure infra, TestDatabase db) { ... }
 * }
 * }</pre>
 */
public final class InfrastructureExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(InfrastructureExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Infrastructure.class || type == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Infrastructure infra = Infrastructure.get();
    if (parameter.getParameter().getType() == Infrastructure.class) {
      return infra;
    }
    Class<?> testClass = context.getRequiredTestClass();
    ExtensionContext classContext = context;
    while (classContext.getParent().isPresent()
        && classContext.getTestClass().isPresent()
        && classContext.getParent().get().getTestClass().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext
        .getStore(NS)
        .getOrComputeIfAbsent(
            "database", k -> infra.newDatabase(testClass.getSimpleName()), TestDatabase.class);
  }
}
