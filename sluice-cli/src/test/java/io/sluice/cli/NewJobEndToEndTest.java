package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.cli.project.BuildVersions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own job project from start to end, as the README shows it: {@code bin/sluice new-job} writes it, Maven
 * builds it offline against Sluice's artifacts (staged into a temporary local repository as this test runs them, see
 * {@link StagedMavenRepository}; its harness tests run as part of {@code mvn package}), and {@code bin/sluice run
 * --jar} runs the built jar's job, whose output is checked against a count computed here. Needs {@code mvn} on the PATH.
 */
class NewJobEndToEndTest {
    private static final String PACKAGE = "com.example.lengths";
    private static final String MAIN_CLASS = PACKAGE + ".WordLengths";
    /** The generated project's build: compile, test, jar; far below this (3 to 7 s on 2 cores). */
    private static final long MAVEN_TIMEOUT_SECONDS = 150;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aNewJobProjectBuildsOfflineAndItsJarRunsWithSluiceRun() throws Exception {
        StagedMavenRepository repository = StagedMavenRepository.create(tmp.resolve("maven"), BuildVersions.load().sluice());
        Path project = tmp.resolve("my-job");

        MainTest.Result created = MainTest.run("new-job", project.toString(), "--package", PACKAGE);
        assertEquals(0, created.exit(), created.toString());
        assertTrue(created.out().contains("bin/sluice run " + MAIN_CLASS + " --jar "), created.out());

        List<String> build = new ArrayList<>(List.of(maven().toString()));
        build.addAll(repository.mavenArguments());
        build.addAll(List.of("-q", "package"));
        runMaven(build, project, tmp.resolve("mvn-package.log"));

        assertEquals(List.of(), repository.fetchedSluiceFiles(),
                "Sluice artifacts Maven took from " + repository.buildRepository() + " instead of the staged ones");
        assertHarnessTestsRan(project);
        Path jar = project.resolve("target/my-job.jar");
        assertJarHoldsOnlyTheJob(jar);

        Path input = Files.createDirectories(tmp.resolve("input"));
        Map<Integer, Long> expected = writeText(input, 42);
        Path output = tmp.resolve("lengths.tsv");
        MainTest.Result run = MainTest.run("run", MAIN_CLASS, "--jar", jar.toString(), "--parallelism", "2",
                "--input", input.toString(), "--output", output.toString());
        assertEquals(0, run.exit(), run.toString());
        assertEquals(expected, readCounts(output), "word lengths of seed 42");
    }

    /** The job artifacts bin/sluice installs are those the test stages, and cover every io.sluice artifact of the pom. */
    @Test
    void binSluiceInstallsWhatAGeneratedPomNeeds() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Matcher modules = Pattern.compile("(?m)^USER_MODULES=(\\S+)$").matcher(Files.readString(root.resolve("bin/sluice")));
        assertTrue(modules.find(), "USER_MODULES in bin/sluice");
        Set<String> installed = new TreeSet<>(List.of(modules.group(1).split(",")));
        assertEquals(new TreeSet<>(StagedMavenRepository.JOB_ARTIFACTS.keySet()), installed, "bin/sluice install's modules");

        Path project = tmp.resolve("p");
        MainTest.Result created = MainTest.run("new-job", project.toString(), "--package", PACKAGE);
        assertEquals(0, created.exit(), created.toString());
        Matcher artifacts = Pattern.compile("<groupId>io\\.sluice</groupId><artifactId>([^<]+)</artifactId>")
                .matcher(Files.readString(project.resolve("pom.xml")));
        Set<String> used = new TreeSet<>();
        while (artifacts.find()) {
            used.add(artifacts.group(1));
        }
        assertEquals(Set.of("sluice-api", "sluice-connectors-files", "sluice-test-support", "sluice-runtime"), used);
        assertTrue(installed.containsAll(used), "installed " + installed + ", used " + used);
    }

    /** Runs Maven in {@code dir}, output into {@code log}; fails with the log if it fails or takes too long. */
    private static void runMaven(List<String> command, Path dir, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        String javaHome = System.getProperty("java.home");
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome);
        env.put("PATH", javaHome + File.separator + "bin" + File.pathSeparator + env.getOrDefault("PATH", ""));
        env.put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 --sun-misc-unsafe-memory-access=allow");
        env.remove("MAVEN_ARGS");
        Process maven = builder.start();
        try {
            if (!maven.waitFor(MAVEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail(String.join(" ", command) + " did not end within " + MAVEN_TIMEOUT_SECONDS + " s; its output:\n"
                        + Files.readString(log));
            }
            if (maven.exitValue() != 0) {
                fail(String.join(" ", command) + " exited " + maven.exitValue() + "; its output:\n" + Files.readString(log));
            }
        } finally {
            destroy(maven);
        }
    }

    /** Kills the process and what it started (surefire's test JVM), and waits for them, boundedly. */
    private static void destroy(Process process) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("process " + p.pid() + " did not end within 10 s of SIGKILL: " + e);
            }
        }
    }

    /** {@code mvn} on the PATH. */
    private static Path maven() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path mvn = Path.of(dir.isEmpty() ? "." : dir, "mvn");
            if (Files.isExecutable(mvn)) {
                return mvn;
            }
        }
        return fail("no mvn on the PATH: this test builds a generated project with Maven");
    }

    private static void assertHarnessTestsRan(Path project) throws IOException {
        Path report = project.resolve("target/surefire-reports/TEST-" + PACKAGE + ".WordLengthsTest.xml");
        assertTrue(Files.isRegularFile(report), "the generated project's test report " + report);
        Matcher suite = Pattern.compile("<testsuite [^>]*>").matcher(Files.readString(report));
        assertTrue(suite.find(), "a test suite in " + report);
        assertTrue(Integer.parseInt(attribute(suite.group(), "tests")) >= 3, "the harness tests ran: " + suite.group());
        assertEquals("0", attribute(suite.group(), "failures"), suite.group());
        assertEquals("0", attribute(suite.group(), "errors"), suite.group());
    }

    private static String attribute(String element, String name) {
        Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(element);
        assertTrue(m.find(), name + " in " + element);
        return m.group(1);
    }

    private static void assertJarHoldsOnlyTheJob(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals(MAIN_CLASS, file.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS));
            List<String> classes = file.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).sorted().toList();
            assertTrue(classes.contains(PACKAGE.replace('.', '/') + "/WordLengths.class"), classes.toString());
            assertTrue(classes.stream().allMatch(n -> n.startsWith(PACKAGE.replace('.', '/') + "/")),
                    "only the job's classes, Sluice is provided: " + classes);
        }
    }

    /** Writes seeded random text files under {@code dir}; returns the number of words per length, counted by regex. */
    private static Map<Integer, Long> writeText(Path dir, long seed) throws IOException {
        String[] words = {"a", "to", "Sluice", "straße", "東京", "x1", "2026", "naïve", "𝐀𝐁", "Ölfeld", "stream", "é"};
        String[] separators = {" ", ", ", ". ", "!\t", " — ", "😀", "_", "-", "'"};
        Pattern word = Pattern.compile("[\\p{L}\\p{Nd}]+");
        Random random = new Random(seed);
        Map<Integer, Long> counts = new TreeMap<>();
        for (int f = 0; f < 3; f++) {
            List<String> lines = new ArrayList<>();
            for (int l = 0; l < 3000; l++) {
                StringBuilder line = new StringBuilder();
                for (int i = random.nextInt(10); i > 0; i--) {
                    line.append(words[random.nextInt(words.length)]);
                    if (random.nextInt(4) > 0) { // else two words run together into a longer one
                        line.append(separators[random.nextInt(separators.length)]);
                    }
                }
                lines.add(line.toString());
                Matcher m = word.matcher(line);
                while (m.find()) {
                    counts.merge(m.group().codePointCount(0, m.group().length()), 1L, Long::sum);
                }
            }
            Files.write(dir.resolve("text-" + f + ".txt"), lines, StandardCharsets.UTF_8);
        }
        return counts;
    }

    /** The job's output as a map; fails on a malformed or repeated line. */
    private static Map<Integer, Long> readCounts(Path file) throws IOException {
        Map<Integer, Long> counts = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t", -1);
            assertEquals(2, parts.length, "output line '" + line + "'");
            Long previous = counts.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            assertNull(previous, "length " + parts[0] + " written twice");
        }
        assertFalse(counts.isEmpty(), "no output in " + file);
        return Collections.unmodifiableMap(counts);
    }
}
