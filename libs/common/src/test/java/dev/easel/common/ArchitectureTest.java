package dev.easel.common;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.easel.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The backbone and the contracts keep the architecture rules every module is held to. */
class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.easel.common", "dev.easel.contracts");

  @Test
  void librariesDependOnNoService() {
    ArchitectureRules.librariesDependOnNoService().check(classes);
  }

  @Test
  void contractsDependOnNoFramework() {
    ArchitectureRules.contractsAreFrameworkFree().check(classes);
  }

  @Test
  void domainPackagesUseNoSpringAndNoSql() {
    ArchitectureRules.domainUsesNoSpringAndNoSql().check(classes);
  }
}
