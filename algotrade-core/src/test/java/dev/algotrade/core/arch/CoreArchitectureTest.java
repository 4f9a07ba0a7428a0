package dev.algotrade.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lines the core must keep (ARCHITECTURE.md, STYLE.md). */
class CoreArchitectureTest {
  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.algotrade.core");
  }

  @Test
  void onlyTheTimePackageReadsTheWallClockOrSleeps() {
    noClasses().that().resideOutsideOfPackage("dev.algotrade.core.time..")
        .should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .orShould().callMethod(java.time.LocalDateTime.class, "now")
        .orShould().callMethod(java.time.ZonedDateTime.class, "now")
        .orShould().callConstructor(java.util.Random.class)
        .because("only the clock reads the wall clock, so a replay reproduces a live day")
        .check(core);
  }

  @Test
  void noConsoleOutputInLibraryCode() {
    noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err")
        .because("library code logs through SLF4J").check(core);
  }

  @Test
  void coreNeverSeesAdapters() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.algotrade.ib..", "dev.algotrade.sqlite..",
        "dev.algotrade.alerts..").check(core);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.algotrade.core.(**)").should().beFreeOfCycles().check(core);
  }
}
