package io.sluice.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rule 1 of docs/architecture.md, "Packages and their dependencies": within a module no package depends on itself
 * through others. Every package is a slice of its own (a subpackage too), so a cycle cannot hide in a package tree.
 */
class PackageCyclesTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(SluiceModule.class)
    void noCycleBetweenThePackagesOfAModule(SluiceModule module) {
        slices().matching("io.sluice.(**)").namingSlices("io.sluice.$1")
                .should().beFreeOfCycles()
                .because("a package is understood, tested and changed without the packages that use it")
                .check(module.classes());
    }

    @Test
    void everyModuleOfTheDefaultBuildIsChecked() throws Exception {
        List<String> checked = Arrays.stream(SluiceModule.values()).map(m -> m.directory).toList();
        List<String> built = Pom.read(SluiceModule.buildRoot().resolve("pom.xml")).modules().stream()
                .filter(m -> !m.equals("sluice-architecture"))
                .toList();
        assertEquals(built, checked, "the modules of the root pom and SluiceModule");
    }
}
