package io.sluice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rule 2 of docs/architecture.md, "Packages and their dependencies": sluice-api depends on nothing but the JDK, so a
 * user program that compiles against it brings no library and no engine class along.
 */
class ApiDependsOnNothingTest {

    @Test
    void apiClassesUseOnlyTheJdkAndTheApi() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.sluice.api..")
                .because("user programs compile against sluice-api alone")
                .check(SluiceModule.API.classes());
    }

    @Test
    void apiPomAndItsParentDeclareNoDependencyButForTests() throws Exception {
        for (String pom : List.of("pom.xml", "sluice-api/pom.xml")) {
            List<Pom.Dependency> notForTests = Pom.read(SluiceModule.buildRoot().resolve(pom)).dependencies().stream()
                    .filter(d -> !d.scope().equals("test"))
                    .toList();
            assertEquals(List.of(), notForTests, pom + " gives sluice-api dependencies beyond its tests");
        }
    }
}
