package dev.easel.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules every service is held to, as tests: a service's {@code ArchitectureTest} extends this
 * and has nothing else to say. The classes read are every production class on the service's class
 * path under {@code dev.easel}, its own and the libraries'.
 */
public abstract class ServiceArchitectureTest {

  /**
   * Read once per test JVM: as an instance field it was read again for each test method, and
   * reading the class path is most of these tests' time.
   */
  protected static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.easel");

  @Test
  void domainUsesNoSpringAndNoSql() {
    ArchitectureRules.domainUsesNoSpringAndNoSql().check(CLASSES);
  }

  @Test
  void useCasesReachStorageOnlyThroughPorts() {
    ArchitectureRules.applicationUsesNoJdbc().check(CLASSES);
  }

  @Test
  void noServiceDependsOnAnother() {
    ArchitectureRules.servicesDoNotDependOnEachOther().check(CLASSES);
  }
}
