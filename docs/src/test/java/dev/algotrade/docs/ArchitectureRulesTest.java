package dev.algotrade.docs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lines ARCHITECTURE.md draws between modules, checked over every library module on this
 * module's class path (main code only; tests may do as they like).
 */
class ArchitectureRulesTest {
  private static JavaClasses all;

  @BeforeAll
  static void importEverything() {
    all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.algotrade");
  }

  /** A class with {@code public static void main(String[])}: a command, allowed to print. */
  private static final DescribedPredicate<JavaClass> HAS_MAIN = DescribedPredicate.describe("have a main method",
      c -> c.getMethods().stream().anyMatch(m -> m.getName().equals("main")
          && m.getModifiers().contains(JavaModifier.STATIC) && m.getRawParameterTypes().size() == 1));

  @Test
  void adaptersNeverSeeEachOther() {
    noClasses().that().resideInAPackage("dev.algotrade.ib..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.algotrade.sqlite..", "dev.algotrade.alerts..")
        .check(all);
    noClasses().that().resideInAPackage("dev.algotrade.sqlite..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.algotrade.ib..", "dev.algotrade.alerts..")
        .check(all);
    noClasses().that().resideInAPackage("dev.algotrade.alerts..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.algotrade.ib..", "dev.algotrade.sqlite..")
        .check(all);
  }

  @Test
  void adaptersDependOnTheApiNotOnCore() {
    noClasses().that().resideInAnyPackage("dev.algotrade.ib", "dev.algotrade.ib.internal..",
            "dev.algotrade.sqlite..", "dev.algotrade.alerts..")
        .should().dependOnClassesThat().resideInAPackage("dev.algotrade.core..")
        .because("adapters plug into the API; only testkits may use core").check(all);
  }

  @Test
  void nothingDependsOnCoreInternalsButCore() {
    noClasses().that().resideOutsideOfPackage("dev.algotrade.core..")
        .and().resideOutsideOfPackage("dev.algotrade.benchmarks..")
        .should().dependOnClassesThat().resideInAPackage("dev.algotrade.core.internal..").check(all);
  }

  @Test
  void noConsoleOutputInLibraryCodeOutsideCommands() {
    noClasses().that(DescribedPredicate.not(HAS_MAIN)).and().resideOutsideOfPackages("dev.algotrade.examples..",
            "dev.algotrade.benchmarks..")
        .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
        .because("library code logs through SLF4J").check(all);
  }

  @Test
  void onlyClocksAndWireCodeReadTheWallClock() {
    noClasses().that().resideOutsideOfPackages("..time..", "dev.algotrade.ib.internal..", "dev.algotrade.testkit..",
            "dev.algotrade.examples..", "dev.algotrade.benchmarks..")
        .should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .orShould().callConstructor(java.util.Random.class)
        .because("only the clock reads the wall clock, so a replay reproduces a live day").check(all);
  }

  /**
   * No cycles between modules' top-level packages. Package cycles inside a module are checked by
   * that module's own architecture test (api, core).
   */
  @Test
  void noCyclesBetweenModules() {
    slices().matching("dev.algotrade.(*)..").should().beFreeOfCycles().check(all);
  }
}
