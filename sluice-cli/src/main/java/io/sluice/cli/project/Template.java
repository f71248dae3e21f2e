package io.sluice.cli.project;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with placeholders {@code {{name}}} (a name of lowercase letters, digits, dots and dashes), filled in from a
 * map. Every placeholder must have a value: a template never yields text with a placeholder left in it.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9.-]+)}}");
    private static final String RESOURCES = "template/";

    private final String name;
    private final String text;

    /** A template named {@code name} (for messages) with the given text. */
    Template(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** The template in the resource {@code template/resource} next to this class, read as UTF-8. */
    static Template resource(String resource) {
        try (InputStream in = Template.class.getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                throw new IllegalStateException("the template " + resource + " is missing from sluice-cli; rebuild Sluice");
            }
            return new Template(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * The text with each placeholder replaced by its value, taken literally.
     *
     * @throws IllegalStateException naming the first placeholder that has no value
     */
    String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("the template " + name + " uses {{" + m.group(1) + "}}, which has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
