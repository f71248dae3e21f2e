package io.sluice.cli.project;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * A Maven project for a user's own job, as {@code bin/sluice new-job} writes it: a pom building a jar for
 * {@code bin/sluice run --jar}, the example job {@code P.WordLengths} and a harness test of its functions.
 *
 * @param javaPackage the package of the job's classes, also the project's groupId
 * @param name        the project's artifactId and the name of its jar ({@code target/NAME.jar})
 */
public record JobProject(String javaPackage, String name) {
    /** The example job's simple class name. */
    public static final String MAIN_CLASS = "WordLengths";

    /** A Maven artifactId that is also a plain file name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Where each file goes (placeholders allowed) and the template it is rendered from. */
    private static final List<Map.Entry<String, String>> FILES = List.of(
            Map.entry("pom.xml", "pom.xml.tmpl"),
            Map.entry("README.md", "README.md.tmpl"),
            Map.entry(".gitignore", "gitignore.tmpl"),
            Map.entry("src/main/java/{{package.path}}/" + MAIN_CLASS + ".java", MAIN_CLASS + ".java.tmpl"),
            Map.entry("src/test/java/{{package.path}}/" + MAIN_CLASS + "Test.java", MAIN_CLASS + "Test.java.tmpl"));

    /**
     * A project with the given package and name.
     *
     * @throws IllegalArgumentException if {@code javaPackage} is not a Java package name a class may be defined in,
     *                                  or {@code name} is not an artifactId usable as a file name
     */
    public JobProject {
        if (javaPackage == null || !SourceVersion.isName(javaPackage, SourceVersion.RELEASE_25)) {
            throw new IllegalArgumentException("--package must be a Java package name such as com.example (identifiers "
                    + "separated by dots, no Java keyword), was " + quoted(javaPackage));
        }
        if (javaPackage.equals("java") || javaPackage.startsWith("java.")) {
            throw new IllegalArgumentException("--package must not be java or below it (the JVM reserves it), was '"
                    + javaPackage + "'");
        }
        if (name == null || !NAME.matcher(name).matches() || name.endsWith(".")) {
            throw new IllegalArgumentException("the project's name (--name, else DIR's name) must be letters, digits, "
                    + "'.', '_' and '-', starting with a letter or digit and not ending in '.', was " + quoted(name));
        }
    }

    private static String quoted(String s) {
        return s == null ? "missing" : "'" + s + "'";
    }

    /** The fully qualified name of the example job's main class. */
    public String mainClass() {
        return javaPackage + "." + MAIN_CLASS;
    }

    /** The project's files, rendered for this package and name with {@code versions}. */
    List<ProjectFile> files(BuildVersions versions) {
        Map<String, String> values = new HashMap<>(versions.placeholders());
        values.put("package", javaPackage);
        values.put("package.path", javaPackage.replace('.', '/'));
        values.put("name", name);
        return FILES.stream()
                .map(f -> new ProjectFile(new Template("the path of " + f.getValue(), f.getKey()).render(values),
                        Template.resource(f.getValue()).render(values)))
                .toList();
    }
}
