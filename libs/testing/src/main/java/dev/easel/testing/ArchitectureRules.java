package dev.easel.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.Set;

/**
 * The architecture rules every Easel module is held to. Services live in {@code
 * dev.easel.<service>}; libraries in {@code dev.easel.common}, {@code .contracts} and {@code
 * .testing}; tools in {@code dev.easel.devstack} and {@code dev.easel.bench}.
 */
public final class ArchitectureRules {

  /** Packages that are shared libraries or tools, not services. */
  public static final Set<String> NOT_SERVICES =
      Set.of("common", "contracts", "testing", "devstack", "bench", "agent");

  private ArchitectureRules() {}

  /** A domain package knows no framework and no SQL. */
  public static ArchRule domainUsesNoSpringAndNoSql() {
    return noClasses()
        .that()
        .resideInAPackage("dev.easel..domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "java.sql..",
            "javax.sql..",
            "jakarta.persistence..",
            "org.flywaydb..",
            "org.apache.kafka..")
        .as("a domain package uses no Spring and no SQL")
        .allowEmptyShould(true);
  }

  /**
   * A use case talks to storage through the ports its package declares; the SQL is in {@code
   * adapters/out/persistence}.
   */
  public static ArchRule applicationUsesNoJdbc() {
    return noClasses()
        .that()
        .resideInAPackage("dev.easel..application..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "javax.sql..")
        .as("an application package reaches storage only through its ports: no JDBC, no java.sql")
        .allowEmptyShould(true);
  }

  /** No service depends on another service; they meet only on the bus. */
  public static ArchRule servicesDoNotDependOnEachOther() {
    return SlicesRuleDefinition.slices()
        .assignedFrom(SERVICES)
        .should()
        .notDependOnEachOther()
        .as("no service depends on another service")
        .allowEmptyShould(true);
  }

  /** Libraries never reach into a service, a tool, or the test library from production code. */
  public static ArchRule librariesDependOnNoService() {
    return noClasses()
        .that()
        .resideInAnyPackage("dev.easel.common..", "dev.easel.contracts..")
        .should()
        .dependOnClassesThat(isServiceOrTool())
        .as("services share only libs/*: a library depends on no service or tool")
        .allowEmptyShould(true);
  }

  /** Contracts are plain records: no Spring, no Jackson, no Kafka, so anyone can read them. */
  public static ArchRule contractsAreFrameworkFree() {
    return noClasses()
        .that()
        .resideInAPackage("dev.easel.contracts..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "tools.jackson..", "org.apache.kafka..")
        .as("contracts depend on no framework")
        .allowEmptyShould(true);
  }

  private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> isServiceOrTool() {
    return new com.tngtech.archunit.base.DescribedPredicate<>("a service or tool class") {
      @Override
      public boolean test(JavaClass c) {
        String segment = segment(c);
        return segment != null && !Set.of("common", "contracts").contains(segment);
      }
    };
  }

  private static String segment(JavaClass c) {
    String pkg = c.getPackageName();
    if (!pkg.startsWith("dev.easel.")) {
      return null;
    }
    String rest = pkg.substring("dev.easel.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  private static final SliceAssignment SERVICES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String segment = segment(c);
          if (segment == null || NOT_SERVICES.contains(segment)) {
            return SliceIdentifier.ignore();
          }
          return SliceIdentifier.of(segment);
        }

        @Override
        public String getDescription() {
          return "Easel services";
        }
      };
}
