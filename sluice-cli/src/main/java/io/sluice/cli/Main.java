package io.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command. Errors are one line on standard error and a non-zero exit: 2 for a bad command
 * line, 1 for a job that cannot start or fails. Set {@code SLUICE_DEBUG=1} to get stack traces as well. Every command
 * and subcommand answers {@code --help} (and {@code --version}): the standard help options are inherited, and picocli
 * answers them before it checks required options.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "Sluice 0.1.0",
        description = "A stateful stream processor. Runs jobs on the embedded local cluster.",
        subcommands = {RunCommand.class, DemoCommand.class, io.sluice.cli.soak.SoakCommand.class,
                io.sluice.cli.cluster.CoordinatorCommand.class, io.sluice.cli.cluster.WorkerCommand.class,
                io.sluice.cli.cluster.ClusterCommand.class, io.sluice.cli.project.NewJobCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, a) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            System.err.println("sluice: " + e.getMessage() + " (see '" + command.replace("sluice", "bin/sluice") + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            System.err.println("sluice: " + oneLine(e));
            if (System.getenv("SLUICE_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        });
        return cli.execute(args);
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        return message.replace('\n', ' ');
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
