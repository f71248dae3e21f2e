package io.sluice.cli;

/** The options of the test jobs' mains ({@code --name value} pairs among their arguments). */
final class MainArgs {
    private MainArgs() {}

    /** The value following {@code name} in {@code args}; an exception naming the option if it is missing. */
    static String value(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        throw new IllegalArgumentException("missing " + name + " (its value follows it)");
    }
}
