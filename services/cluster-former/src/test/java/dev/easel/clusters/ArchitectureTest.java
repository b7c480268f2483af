package dev.easel.clusters;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.easel.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** cluster-former keeps the rules every service is held to. */
class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.easel");

  @Test
  void domainUsesNoSpringAndNoSql() {
    ArchitectureRules.domainUsesNoSpringAndNoSql().check(classes);
  }

  @Test
  void useCasesReachStorageOnlyThroughPorts() {
    ArchitectureRules.applicationUsesNoJdbc().check(classes);
  }

  @Test
  void noServiceDependsOnAnother() {
    ArchitectureRules.servicesDoNotDependOnEachOther().check(classes);
  }
}
