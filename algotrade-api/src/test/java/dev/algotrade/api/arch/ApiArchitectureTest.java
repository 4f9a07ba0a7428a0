package dev.algotrade.api.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API depends on the JDK only, and reads no clock. */
class ApiArchitectureTest {
  private static JavaClasses api;

  @BeforeAll
  static void importApi() {
    api = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.algotrade.api");
  }

  @Test
  void dependsOnlyOnTheJdk() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.algotrade.api..")
        .because("every dependency of the API is forced on every user").check(api);
  }

  @Test
  void readsNoWallClock() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime").check(api);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.algotrade.api.(**)").should().beFreeOfCycles().check(api);
  }
}
