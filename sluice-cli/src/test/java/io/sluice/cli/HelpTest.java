package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers {@code --help} with its usage and exit 0, required options or not. */
class HelpTest {

    /** The command paths below {@code sluice}, e.g. {@code [run, counts]}, found by walking the command tree. */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(new CommandLine(new Main()), new ArrayList<>(), paths);
        return paths;
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // aliases lead to the same command
                List<String> next = new ArrayList<>(path);
                next.add(name);
                walk(sub, next, paths);
            }
        });
    }

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = commandPaths();
        assertTrue(paths.size() > 8, "the command tree: " + paths);
        PrintStream out = System.out;
        try {
            for (List<String> path : paths) {
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                int exit = Main.execute(args.toArray(String[]::new));
                String usage = captured.toString(StandardCharsets.UTF_8);
                String expected = "Usage: sluice" + (path.isEmpty() ? "" : " " + String.join(" ", path));
                assertEquals(0, exit, String.join(" ", args) + " exits 0; printed: " + usage);
                assertTrue(usage.startsWith(expected), String.join(" ", args) + " prints '" + expected + "...': " + usage);
            }
        } finally {
            System.setOut(out);
        }
    }
}
