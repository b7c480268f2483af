package dev.easel.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import dev.easel.testing.ServiceArchitectureTest;
import org.junit.jupiter.api.Test;

/** gateway keeps the rules every service is held to, and its console reads only through the API. */
class ArchitectureTest extends ServiceArchitectureTest {

  @Test
  void theConsoleReachesNoStoreAndNoServiceButThroughTheApi() {
    noClasses()
        .that()
        .resideInAPackage("dev.easel.gateway.adapters.in.console..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.easel.gateway.adapters.out..",
            "dev.easel.gateway.application.port..",
            "java.sql..",
            "org.springframework.jdbc..")
        .because(
            "a page may do only what its user could do with the API: it goes through ConsoleApi")
        .check(CLASSES);
  }
}
