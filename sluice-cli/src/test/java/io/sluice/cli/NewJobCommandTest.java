package io.sluice.cli;

import static io.sluice.cli.MainTest.assertError;
import static io.sluice.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice new-job DIR --package P [--name NAME]}: what it writes, and what it refuses without writing anything.
 * The generated project's build and run: {@link NewJobEndToEndTest}.
 */
class NewJobCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheProjectWithItsPackageNameAndTheVersionsOfThisBuild() throws Exception {
        Path dir = tmp.resolve("my-job");
        MainTest.Result r = run("new-job", dir.toString(), "--package", "com.example");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err());
        assertEquals(List.of(".gitignore", "README.md", "pom.xml", "src/main/java/com/example/WordLengths.java",
                "src/test/java/com/example/WordLengthsTest.java"), files(dir));
        for (String file : files(dir)) {
            assertFalse(Files.readString(dir.resolve(file)).contains("{{"), "a placeholder left in " + file);
        }

        String pom = Files.readString(dir.resolve("pom.xml"));
        assertTrue(pom.contains("<groupId>com.example</groupId>\n  <artifactId>my-job</artifactId>"), pom);
        assertTrue(pom.contains("<finalName>my-job</finalName>"), pom);
        assertTrue(pom.contains("<mainClass>com.example.WordLengths</mainClass>"), pom);
        String rootPom = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("pom.xml"));
        assertEquals(property(rootPom, "<version>", "</version>"), property(pom, "<sluice.version>", "</sluice.version>"));
        assertEquals(property(rootPom, "<junit.version>", "</junit.version>"), property(pom, "<junit.version>", "</junit.version>"));
        assertEquals(property(rootPom, "<surefire-plugin.version>", "</surefire-plugin.version>"),
                property(pom, "<artifactId>maven-surefire-plugin</artifactId>\n        <version>", "</version>"));
        assertTrue(Files.readString(dir.resolve("src/main/java/com/example/WordLengths.java")).startsWith("package com.example;\n"));
        assertTrue(r.out().contains("bin/sluice run com.example.WordLengths --jar " + dir.resolve("target/my-job.jar")), r.out());
    }

    @Test
    void theNameOptionNamesTheArtifactAndANestedPackageNestsTheSources() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("empty")); // an existing empty directory will do
        MainTest.Result r = run("new-job", dir.toString(), "--package", "org.acme.jobs.v2", "--name", "lengths_1.0-x");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(files(dir).contains("src/main/java/org/acme/jobs/v2/WordLengths.java"), files(dir).toString());
        assertTrue(Files.readString(dir.resolve("pom.xml")).contains("<artifactId>lengths_1.0-x</artifactId>"));
    }

    @Test
    void aDirectoryThatIsNotEmptyIsRefusedAndLeftAsItWas() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("taken"));
        Files.writeString(dir.resolve("pom.xml"), "mine");
        assertError(2, List.of(dir.toString(), "not empty"), "new-job", dir.toString(), "--package", "com.example");
        assertEquals(List.of("pom.xml"), files(dir));
        assertEquals("mine", Files.readString(dir.resolve("pom.xml")));

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertError(2, List.of("not a directory"), "new-job", file.toString(), "--package", "com.example");
    }

    @Test
    void aPackageThatIsNoJavaPackageIsABadCommandLine() {
        for (String bad : List.of("com.example.class", "1com", "com..example", "com.example.", "", "com-example", "java.util")) {
            Path dir = tmp.resolve("p");
            assertError(2, List.of("--package", "'" + bad + "'"), "new-job", dir.toString(), "--package", bad);
            assertFalse(Files.exists(dir), "nothing written for --package " + bad);
        }
        assertError(2, List.of("--package"), "new-job", tmp.resolve("p").toString());
    }

    @Test
    void aNameThatIsNoArtifactIdIsABadCommandLine() {
        for (String bad : List.of("../up", "my job", "-x", "a/b", "name.")) {
            assertError(2, List.of("name", "'" + bad + "'"), "new-job", tmp.resolve("p").toString(), "--package", "a.b",
                    "--name", bad);
            assertFalse(Files.exists(tmp.resolve("p")), "nothing written for --name " + bad);
        }
        assertError(2, List.of("--name"), "new-job", "/", "--package", "a.b");
    }

    /** The files under {@code dir}, relative, sorted. */
    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    /** The text between the first {@code open} and the next {@code close}. */
    private static String property(String xml, String open, String close) {
        Matcher m = Pattern.compile(Pattern.quote(open) + "([^<]*)" + Pattern.quote(close)).matcher(xml);
        assertTrue(m.find(), open + " in " + xml);
        return m.group(1);
    }
}
