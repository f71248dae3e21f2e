package io.sluice.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The modules of the default build and their main classes as this build compiled them ({@code target/classes}), not
 * as some other build installed them in the local repository. The sluice-nexmark-flink module of the {@code flink}
 * profile is not among them: the default build never compiles it.
 */
enum SluiceModule {
    API("sluice-api"),
    RUNTIME("sluice-runtime"),
    NETWORK("sluice-network"),
    STATE_ROCKSDB("sluice-state-rocksdb"),
    TEST_SUPPORT("sluice-test-support"),
    CONNECTORS_FILES("sluice-connectors-files"),
    CONNECTORS_KAFKA("sluice-connectors-kafka"),
    EXAMPLES("sluice-examples"),
    NEXMARK("sluice-nexmark"),
    CLUSTER("sluice-cluster"),
    WEB("sluice-web"),
    CLI("sluice-cli"),
    BENCH("sluice-bench");

    private static final Map<SluiceModule, JavaClasses> IMPORTED = new EnumMap<>(SluiceModule.class);

    final String directory;

    SluiceModule(String directory) {
        this.directory = directory;
    }

    /** The root of the build: the parent of this module's directory, where the tests run. */
    static Path buildRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve(API.directory))) {
            throw new IllegalStateException("run from a module directory of the build, found " + root);
        }
        return root;
    }

    /** The module's compiled main classes; fails if the module was not compiled. */
    synchronized JavaClasses classes() {
        return IMPORTED.computeIfAbsent(this, module -> {
            Path classes = buildRoot().resolve(module.directory).resolve("target").resolve("classes");
            if (!Files.isDirectory(classes)) {
                throw new IllegalStateException(classes + " is missing: build " + module.directory + " first (-am)");
            }
            return new ClassFileImporter().importPath(classes);
        });
    }

    @Override
    public String toString() {
        return directory;
    }
}
