package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of docs/architecture.md, "Configuration": no library code reads system properties or environment
 * variables. Configuration is parsed once at the edge (the CLI, the benchmarks' mains) and handed on as typed objects.
 * Scans the main sources of every module of the build; only the edge classes listed in {@link #EDGE} may read them,
 * each for the reason given, and an entry that no longer reads anything must go.
 */
class NoPropertyReadsInLibraryCodeTest {

    /** Edge classes (path from the repository root) that may read the process's settings, and why. */
    private static final Map<String, String> EDGE = Map.ofEntries(
            Map.entry("sluice-cli/src/main/java/io/sluice/cli/Main.java",
                    "SLUICE_DEBUG: stack traces for the CLI's errors"),
            Map.entry("sluice-cli/src/main/java/io/sluice/cli/JobOptions.java",
                    "-Dsluice.state.dir, turned into rocksdb.local-dir"),
            Map.entry("sluice-cli/src/main/java/io/sluice/cli/soak/ChildCommand.java",
                    "java.home and the class path of the child JVMs"),
            Map.entry("sluice-cli/src/main/java/io/sluice/cli/KafkaCommand.java",
                    "java.home and the class path of the Kafka broker"),
            Map.entry("sluice-cli/src/main/java/io/sluice/cli/cluster/ClusterProcesses.java",
                    "java.home and the class path of a local cluster's coordinator and workers"),
            Map.entry("sluice-bench/src/main/java/io/sluice/bench/CheckpointBenchmark.java",
                    "the log level and temporary directory of a benchmark"),
            Map.entry("sluice-bench/src/main/java/io/sluice/bench/RssBenchmark.java",
                    "the class path of its child JVMs"),
            Map.entry("sluice-bench/src/main/java/io/sluice/bench/RocksDbStateBenchmark.java",
                    "its temporary directory and statistics switch"),
            Map.entry("sluice-bench/src/main/java/io/sluice/bench/NexmarkRunner.java",
                    "the repository root and java.home of its child JVMs"),
            Map.entry("sluice-bench/src/main/java/io/sluice/bench/FailoverBenchmark.java",
                    "the repository root and java.home of its child JVMs"),
            Map.entry("sluice-bench/src/main/java/io/sluice/bench/ClusterShuffleBenchmark.java",
                    "the repository root and java.home of its child JVMs"));

    private static final List<Pattern> READS = List.of(
            Pattern.compile("\\bSystem\\s*\\.\\s*(getProperty|getProperties|setProperty|setProperties|clearProperty|getenv)\\b"),
            Pattern.compile("\\b(Integer\\s*\\.\\s*getInteger|Long\\s*\\.\\s*getLong|Boolean\\s*\\.\\s*getBoolean)\\b"),
            Pattern.compile("import\\s+static\\s+java\\.lang\\.(System|Integer|Long|Boolean)\\s*\\.\\s*"
                    + "(\\*|getProperty|getProperties|setProperty|setProperties|clearProperty|getenv|getInteger|getLong|getBoolean)\\b"));

    /** The lines of {@code source} that read or change system properties or environment variables, numbered from 1. */
    static List<String> reads(String source) {
        List<String> found = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            for (Pattern p : READS) {
                if (p.matcher(lines[i]).find()) {
                    found.add((i + 1) + ": " + lines[i].strip());
                    break;
                }
            }
        }
        return found;
    }

    @Test
    void theScannerFindsEveryWayOfReadingAndNothingElse() {
        assertEquals(6, reads("""
                int p = Integer.getInteger("sluice.parallelism", 4);
                long i = Long.getLong("x");
                boolean b = Boolean.getBoolean("y");
                String d = java.lang.System.getProperty("z");
                String e = System.getenv("HOME");
                import static java.lang.System.getenv;
                """).size());
        assertEquals(List.of(), reads("""
                java.util.Properties props = new java.util.Properties();
                props.setProperty("merge_operator", "x");
                long n = Long.parseLong("3");
                Integer.valueOf(4);
                """));
    }

    @Test
    void noLibraryCodeReadsSystemPropertiesOrTheEnvironment() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("sluice-api")),
                "run from a module directory of the build, found " + root);
        Map<String, List<String>> offenders = new TreeMap<>();
        TreeSet<String> edgeReading = new TreeSet<>();
        List<Path> mainSources;
        try (Stream<Path> modules = Files.list(root)) {
            mainSources = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        assertTrue(mainSources.size() >= 8, "main sources of the modules: " + mainSources);
        for (Path sources : mainSources) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.filter(f -> f.toString().endsWith(".java")).toList();
            }
            for (Path file : files) {
                List<String> found = reads(Files.readString(file, StandardCharsets.UTF_8));
                String name = root.relativize(file).toString().replace('\\', '/');
                if (found.isEmpty()) {
                    continue;
                }
                if (EDGE.containsKey(name)) {
                    edgeReading.add(name);
                } else {
                    offenders.put(name, found);
                }
            }
        }
        assertEquals(Map.of(), offenders, "library code reading system properties or environment variables: take the "
                + "setting as a typed parameter, and parse it at the edge (docs/architecture.md, Configuration)");
        assertEquals(new TreeSet<>(EDGE.keySet()), edgeReading, "edge classes listed that read nothing any more: "
                + "remove them from the list");
    }
}
