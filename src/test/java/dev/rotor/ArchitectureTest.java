package dev.rotor;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering rules of docs/design.md §8, checked on the compiled production classes (ArchUnit), so they
 * hold because a build fails, not because people remember them.
 */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() throws URISyntaxException {
        Path classes = Path.of(Application.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(classes);
    }

    @Test
    void policyAndRotationUseNoGoogleClass() {
        check(noClasses().that().resideInAnyPackage("dev.rotor.policy..", "dev.rotor.rotation..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google..")
                .because("ports return Rotor's own records; the engine is tested against in-memory ports"));
    }

    @Test
    void theEmulatorKnowsNothingOfTheEngine() {
        check(noClasses().that().resideInAPackage("dev.rotor.local..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rotor.rotation..", "dev.rotor.credential..",
                        "dev.rotor.secret..", "dev.rotor.consumer..", "dev.rotor.policy..")
                .because("the emulator follows Google's documented behaviour, not Rotor's own assumptions"));
    }

    @Test
    void noProductionClassIsAClockOtherThanTheSystemOne() {
        check(noClasses().should().beAssignableTo(Clock.class)
                .because("production reads time from ClockFactory's system clock; test clocks live in src/test"));
    }

    @Test
    void theEngineDependsOnNoAdapterOrEmulator() {
        check(noClasses().that().resideInAnyPackage("dev.rotor.policy..", "dev.rotor.rotation..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rotor.gcp..", "dev.rotor.local..",
                        "dev.rotor.api.."));
    }

    @Test
    void onlyConfigurationReadsTheEnvironment() {
        check(noClasses().should().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getenv")
                .because("settings come from validated @ConfigurationProperties records (STYLE habit 4)"));
    }

    private static void check(ArchRule rule) {
        rule.check(production);
    }
}
