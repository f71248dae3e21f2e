package io.sluice.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser of Prometheus' text exposition format 0.0.4: {@code # HELP} and {@code # TYPE} lines, then samples
 * {@code name{label="value",...} value [timestamp]}; a metric name and label names as the format allows, label values
 * with their escapes, a float value (or NaN, +Inf, -Inf), every sample of a family declared by TYPE before it, no
 * family declared twice, no sample twice. Throws {@link IllegalArgumentException} naming the line otherwise. Public
 * for sluice-cli's cluster tests, which get it through this module's test-jar. Stateless.
 */
public final class PrometheusText {
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    public static List<Sample> parse(String text) {
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    name(parts[2], n, line);
                    if (parts.length != 4 || !TYPES.contains(parts[3]) || types.put(parts[2], parts[3]) != null) {
                        throw new IllegalArgumentException("line " + n + ": bad or repeated TYPE: " + line);
                    }
                } else if (parts.length >= 3 && parts[1].equals("HELP")) {
                    name(parts[2], n, line);
                }
                continue;
            }
            try {
                samples.add(sample(line, n, types, seen));
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                throw new IllegalArgumentException("line " + n + ": cannot parse: " + line, e);
            }
        }
        return samples;
    }

    private static Sample sample(String line, int n, Map<String, String> types, Set<String> seen) {
        {
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            String name = name(line.substring(0, i), n, line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String label = line.substring(i, eq);
                    if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || line.charAt(eq + 1) != '"') {
                        throw new IllegalArgumentException("line " + n + ": bad label: " + line);
                    }
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (; line.charAt(j) != '"'; j++) {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char e = line.charAt(++j);
                            value.append(e == 'n' ? '\n' : e);
                            if (e != 'n' && e != '\\' && e != '"') {
                                throw new IllegalArgumentException("line " + n + ": bad escape: " + line);
                            }
                        } else {
                            value.append(c);
                        }
                    }
                    labels.put(label, value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    } else if (line.charAt(i) != '}') {
                        throw new IllegalArgumentException("line " + n + ": expected , or }: " + line);
                    }
                }
                i++;
            }
            if (i >= line.length() || line.charAt(i) != ' ') {
                throw new IllegalArgumentException("line " + n + ": no value: " + line);
            }
            String[] rest = line.substring(i + 1).split(" ");
            if (rest.length > 2) {
                throw new IllegalArgumentException("line " + n + ": trailing text: " + line);
            }
            double value = switch (rest[0]) {
                case "NaN" -> Double.NaN;
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(rest[0]);
            };
            if (rest.length == 2) {
                Long.parseLong(rest[1]);
            }
            String family = family(name, types);
            if (family == null) {
                throw new IllegalArgumentException("line " + n + ": sample of an undeclared family: " + line);
            }
            if (!seen.add(name + labels)) {
                throw new IllegalArgumentException("line " + n + ": repeated sample: " + line);
            }
            return new Sample(name, labels, value);
        }
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_total", "_count", "_sum", "_bucket", "_created", "_max")) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private static String name(String name, int n, String line) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("line " + n + ": bad metric name '" + name + "': " + line);
        }
        return name;
    }
}
