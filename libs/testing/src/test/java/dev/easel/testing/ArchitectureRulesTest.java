package dev.easel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.easel.fixturealpha.UsesBeta;
import dev.easel.fixturealpha.application.Deciding;
import dev.easel.fixturealpha.application.Storing;
import dev.easel.fixturealpha.domain.Thing;
import dev.easel.fixturebeta.Other;
import org.junit.jupiter.api.Test;

class ArchitectureRulesTest {

  private final JavaClasses fixtures =
      new ClassFileImporter().importClasses(Thing.class, UsesBeta.class, Other.class);

  @Test
  void flagsADomainClassThatUsesSql() {
    assertThat(ArchitectureRules.domainUsesNoSpringAndNoSql().evaluate(fixtures).hasViolation())
        .isTrue();
  }

  @Test
  void flagsAUseCaseThatRunsSqlItselfAndAcceptsOneThatKeepsToItsPorts() {
    assertThat(
            ArchitectureRules.applicationUsesNoJdbc()
                .evaluate(new ClassFileImporter().importClasses(Storing.class))
                .hasViolation())
        .isTrue();
    assertThat(
            ArchitectureRules.applicationUsesNoJdbc()
                .evaluate(new ClassFileImporter().importClasses(Deciding.class))
                .hasViolation())
        .isFalse();
  }

  @Test
  void flagsAServiceThatDependsOnAnotherService() {
    assertThat(ArchitectureRules.servicesDoNotDependOnEachOther().evaluate(fixtures).hasViolation())
        .isTrue();
  }

  @Test
  void acceptsServicesThatStayApart() {
    JavaClasses apart = new ClassFileImporter().importClasses(Other.class);
    assertThat(ArchitectureRules.servicesDoNotDependOnEachOther().evaluate(apart).hasViolation())
        .isFalse();
  }

  @Test
  void theLibrariesThemselvesKeepTheRules() {
    JavaClasses libs =
        new ClassFileImporter().importPackages("dev.easel.contracts", "dev.easel.testing");
    assertThat(
            ArchitectureRules.contractsAreFrameworkFree()
                .evaluate(libs)
                .getFailureReport()
                .getDetails())
        .isEmpty();
    assertThat(
            ArchitectureRules.librariesDependOnNoService()
                .evaluate(libs)
                .getFailureReport()
                .getDetails())
        .isEmpty();
  }
}
