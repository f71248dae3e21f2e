package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.connectors.file.TextFileSource;
import io.sluice.runtime.operator.KeyedProcessOperator;
import io.sluice.state.rocksdb.RocksDbOptions;
import io.sluice.testing.KeyedProcessFunctionHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Maven local repository in a test's directory, for building a job project offline without touching the build's own
 * local repository. It holds Sluice's artifacts for job projects exactly as this test runs them: each one's jar (or
 * class directory, jarred) from this test's class path, with its pom and the parent pom, in the layout
 * {@code mvn install} writes. Every other artifact (plugins, JUnit, ...) Maven takes from the local repository of the
 * build running the test, found from where JUnit was loaded, through a {@code file:} mirror in {@link #settings()}:
 * Maven only reads from there, so nothing of this test is ever written into it. Run Maven with
 * {@code -o -s SETTINGS -Daether.offline.protocols=file} ({@link #mavenArguments()}).
 */
final class StagedMavenRepository {
    /** The artifacts {@code bin/sluice install} installs for job projects, each with a class of it. */
    static final Map<String, Class<?>> JOB_ARTIFACTS = Map.of(
            "sluice-api", StreamEnvironment.class,
            "sluice-connectors-files", TextFileSource.class,
            "sluice-test-support", KeyedProcessFunctionHarness.class,
            "sluice-runtime", KeyedProcessOperator.class,
            "sluice-state-rocksdb", RocksDbOptions.class);

    private static final String GROUP_PATH = "io/sluice";
    private static final String PARENT = "sluice-parent";

    private final Path repository;
    private final Path settings;
    private final Path buildRepository;

    private StagedMavenRepository(Path repository, Path settings, Path buildRepository) {
        this.repository = repository;
        this.settings = settings;
        this.buildRepository = buildRepository;
    }

    /** Stages Sluice {@code version}'s job artifacts into {@code dir/repository} and writes {@code dir/settings.xml}. */
    static StagedMavenRepository create(Path dir, String version) throws IOException {
        Path repository = Files.createDirectories(dir.resolve("repository"));
        Path parentPom = null;
        for (Map.Entry<String, Class<?>> artifact : JOB_ARTIFACTS.entrySet()) {
            Built built = Built.of(artifact.getKey(), version, artifact.getValue());
            Path target = Files.createDirectories(repository.resolve(GROUP_PATH).resolve(artifact.getKey()).resolve(version));
            String base = artifact.getKey() + "-" + version;
            if (Files.isDirectory(built.classes())) {
                jar(built.classes(), target.resolve(base + ".jar"));
            } else {
                Files.copy(built.classes(), target.resolve(base + ".jar"));
            }
            Files.copy(built.pom(), target.resolve(base + ".pom"));
            parentPom = built.parentPom();
        }
        Path parent = Files.createDirectories(repository.resolve(GROUP_PATH).resolve(PARENT).resolve(version));
        Files.copy(parentPom, parent.resolve(PARENT + "-" + version + ".pom"));

        Path buildRepository = findBuildRepository();
        Path settings = dir.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <localRepository>%s</localRepository>
                  <offline>true</offline>
                  <mirrors>
                    <mirror><id>build-repository</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(xml(repository.toString()), xml(buildRepository.toUri().toString())), StandardCharsets.UTF_8);
        return new StagedMavenRepository(repository, settings, buildRepository);
    }

    /** The repository's directory. */
    Path repository() {
        return repository;
    }

    /** The settings file naming the repository and the mirror. */
    Path settings() {
        return settings;
    }

    /** The local repository of the build running this test, which Maven reads through the mirror. */
    Path buildRepository() {
        return buildRepository;
    }

    /** The Maven arguments for an offline build with this repository. */
    List<String> mavenArguments() {
        return List.of("-o", "-B", "-s", settings.toString(), "-Daether.offline.protocols=file");
    }

    /**
     * Sluice artifacts Maven fetched from the build's repository instead of taking the staged ones (it records where
     * it fetched a file from in {@code _remote.repositories}; staging writes none): empty when the staging was complete.
     */
    List<Path> fetchedSluiceFiles() throws IOException {
        try (Stream<Path> files = Files.walk(repository.resolve(GROUP_PATH))) {
            return files.filter(f -> f.getFileName().toString().equals("_remote.repositories")).toList();
        }
    }

    /** The local repository JUnit was loaded from: {@code R/org/junit/jupiter/junit-jupiter-api/V/...jar}. */
    private static Path findBuildRepository() {
        Path jar = location(org.junit.jupiter.api.Test.class);
        Path group = jar.getParent().getParent().getParent();
        if (!group.endsWith(Path.of("org", "junit", "jupiter"))) {
            throw new IllegalStateException("cannot find the build's local Maven repository: JUnit was loaded from " + jar
                    + ", not from a Maven repository");
        }
        return group.getParent().getParent().getParent();
    }

    /** Where one artifact's classes were loaded from, its pom and its parent's pom. */
    private record Built(Path classes, Path pom, Path parentPom) {

        /**
         * In a reactor build, {@code M/target/classes} or {@code M/target/A-V.jar} with {@code M/pom.xml} and the
         * root's pom.xml above; else a jar in a Maven repository, poms beside it.
         */
        static Built of(String artifactId, String version, Class<?> member) {
            Path classes = location(member);
            Path dir = classes.getParent();
            if (dir.getFileName().toString().equals("target")) {
                Path module = dir.getParent();
                return new Built(classes, existing(module.resolve("pom.xml")), existing(module.getParent().resolve("pom.xml")));
            }
            Path groupDir = dir.getParent().getParent();
            return new Built(classes, existing(dir.resolve(artifactId + "-" + version + ".pom")),
                    existing(groupDir.resolve(PARENT).resolve(version).resolve(PARENT + "-" + version + ".pom")));
        }

        private static Path existing(Path file) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("no " + file + ": build the modules of the job artifacts first");
            }
            return file;
        }
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where " + c.getName() + " was loaded from", e);
        }
    }

    /** Writes the files under {@code classes} into the jar {@code target}, in a fixed order. */
    private static void jar(Path classes, Path target) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out)) {
            for (Path file : files) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
