package dev.easel.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The agent stays small: plain Java and Jackson, and its parts depend one way. */
class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.easel.agent");

  @Test
  void theAgentUsesNoSpringAndNoServiceCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "dev.easel.nodes..",
            "dev.easel.common..",
            "dev.easel.contracts..")
        .check(classes);
  }

  @Test
  void inventoryReadsTheMachineAndKnowsNothingOfTheServer() {
    noClasses()
        .that()
        .resideInAPackage("..agent.inventory..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..agent.server..", "..agent.run..", "..agent.simulate..")
        .check(classes);
  }

  @Test
  void theRealAgentAndTheSimulatorDoNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage("..agent.run..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..agent.simulate..")
        .check(classes);
  }
}
