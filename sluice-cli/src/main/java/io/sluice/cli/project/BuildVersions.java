package io.sluice.cli.project;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The versions a new job project builds with: Sluice's own and those of Sluice's build (JUnit, SLF4J, the Maven
 * plugins), so that a project builds with what Sluice's build already fetched. The build writes them from the root pom
 * into the resource {@code versions.properties} (resource filtering); each key is a template placeholder.
 *
 * @param placeholders every version by its placeholder name, e.g. {@code sluice.version -> 0.1.0-SNAPSHOT}
 */
public record BuildVersions(Map<String, String> placeholders) {
    private static final String RESOURCE = "versions.properties";

    public BuildVersions {
        placeholders = Map.copyOf(placeholders);
    }

    /**
     * The versions this build of Sluice wrote down.
     *
     * @throws IllegalStateException if the resource is missing or was not filled in (sluice-cli not built by Maven)
     */
    public static BuildVersions load() {
        Properties properties = new Properties();
        try (InputStream in = BuildVersions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " of sluice-cli is missing; rebuild Sluice");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the resource " + RESOURCE + " of sluice-cli: " + e.getMessage(), e);
        }
        Map<String, String> versions = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).strip();
            if (value.isEmpty() || value.contains("${")) {
                throw new IllegalStateException("the build did not fill in " + key + " in sluice-cli's " + RESOURCE
                        + " (was '" + value + "'); build sluice-cli with Maven");
            }
            versions.put(key, value);
        }
        return new BuildVersions(versions);
    }

    /** Sluice's version: that of the io.sluice artifacts a project depends on. */
    public String sluice() {
        return placeholders.get("sluice.version");
    }
}
