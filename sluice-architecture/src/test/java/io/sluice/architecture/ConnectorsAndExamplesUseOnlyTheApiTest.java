package io.sluice.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rule 3 of docs/architecture.md, "Packages and their dependencies": connectors and examples are written as users
 * write jobs. Of Sluice they use the API ({@code io.sluice.api..}), their own packages and the {@link PublishedSpi
 * published SPIs}, never the engine's internals; libraries of their own are theirs to choose. Their tests may run jobs
 * on the runtime: only main classes are checked.
 */
class ConnectorsAndExamplesUseOnlyTheApiTest {

    @Test
    void fileConnectors() {
        check(SluiceModule.CONNECTORS_FILES, "io.sluice.connectors..");
    }

    @Test
    void kafkaConnectors() {
        check(SluiceModule.CONNECTORS_KAFKA, "io.sluice.connectors..");
    }

    /** Examples may use connectors: connectors are libraries on the API, held to this rule themselves. */
    @Test
    void examples() {
        check(SluiceModule.EXAMPLES, "io.sluice.examples..", "io.sluice.connectors..");
    }

    private static void check(SluiceModule module, String... ownPackages) {
        noClasses().should().dependOnClassesThat(engineInternals(ownPackages))
                .because("connectors and examples must keep working on any runtime, and show users what they may use")
                .check(module.classes());
    }

    private static DescribedPredicate<JavaClass> engineInternals(String... ownPackages) {
        String[] allowed = Stream.concat(Stream.of("io.sluice.api.."), Stream.of(ownPackages)).toArray(String[]::new);
        return resideInAPackage("io.sluice..").and(not(resideInAnyPackage(allowed))).and(not(PublishedSpi.anyType()))
                .as("are Sluice classes outside the API, the module's own packages and the published SPIs");
    }
}
