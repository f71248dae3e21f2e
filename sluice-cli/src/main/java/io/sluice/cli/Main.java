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
                io.sluice.cli.cluster.ClusterCommand.class, io.sluice.cli.cluster.JobCommands.ListCommand.class,
                io.sluice.cli.cluster.JobCommands.CancelCommand.class, io.sluice.cli.cluster.JobCommands.SavepointCommand.class,
                io.sluice.cli.cluster.JobCommands.StopCommand.class, io.sluice.cli.project.NewJobCommand.class, KafkaCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
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

    /**
     * The command line: a coordinator runs submitted jobs' mains through {@link #runJobMain}, and a job command with
     * {@code --cluster} is submitted there ({@link ClusterRun}) instead of run here.
     */
    private static CommandLine commandLine() {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                return type == io.sluice.cli.cluster.CoordinatorCommand.class
                        ? (K) new io.sluice.cli.cluster.CoordinatorCommand(Main::runJobMain) : defaults.create(type);
            }
        });
        cli.setExecutionStrategy(parsed -> {
            JobOptions job = clusterJob(parsed);
            if (job == null) {
                JobOptions web = webJob(parsed);
                if (web == null) {
                    return new CommandLine.RunLast().execute(parsed);
                }
                try (LocalDashboard dashboard = LocalDashboard.start(web)) {
                    return new CommandLine.RunLast().execute(parsed);
                } catch (java.io.IOException e) {
                    throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), Main.oneLine(e), e);
                }
            }
            try {
                ClusterResultPrinter printer = leaf(parsed).commandSpec().userObject() instanceof ClusterResultPrinter own
                        ? own : result -> System.out.println(JobSummary.format(result));
                return ClusterRun.run(job, parsed.originalArgs(), printer);
            } catch (CommandLine.ParameterException e) {
                throw e;
            } catch (Exception e) {
                throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), Main.oneLine(e), e);
            }
        });
        return cli;
    }

    private static CommandLine.ParseResult leaf(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    /** The options of a job command run here with {@code --web-port} (and not asked for help), or {@code null}. */
    private static JobOptions webJob(CommandLine.ParseResult parsed) {
        return jobOptions(parsed, options -> options.cluster == null && options.webPort != null);
    }

    /** The options of a job command given {@code --cluster} (and not asked for help), or {@code null}. */
    private static JobOptions clusterJob(CommandLine.ParseResult parsed) {
        return jobOptions(parsed, options -> options.cluster != null);
    }

    /** The job options of the command run, if asked for no help and they satisfy {@code wanted}; else {@code null}. */
    private static JobOptions jobOptions(CommandLine.ParseResult parsed, java.util.function.Predicate<JobOptions> wanted) {
        CommandLine.ParseResult leaf = leaf(parsed);
        if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
            return null;
        }
        for (CommandLine.Model.CommandSpec mixin : leaf.commandSpec().mixins().values()) {
            if (mixin.userObject() instanceof JobOptions options && wanted.test(options)) {
                return options;
            }
        }
        return null;
    }

    /**
     * Runs a submitted job's {@code run} arguments on a coordinator: the same commands as here, with the job's graph
     * handed to {@code executor}; a bad command line or a failing main is thrown.
     */
    static void runJobMain(java.util.List<String> argv, java.util.List<java.nio.file.Path> jars,
            io.sluice.api.execution.JobExecutor executor) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>();
        args.add("run");
        for (java.nio.file.Path jar : jars) {
            args.add("--jar");
            args.add(jar.toString());
        }
        args.addAll(argv);
        CommandLine cli = commandLine();
        Exception[] failure = new Exception[1];
        cli.setParameterExceptionHandler((e, a) -> {
            failure[0] = e;
            return 2;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            failure[0] = e;
            return 1;
        });
        int code = io.sluice.api.EnvironmentContext.callWith(
                io.sluice.api.EnvironmentSettings.defaults().withExecutor(executor),
                () -> cli.execute(args.toArray(String[]::new)));
        if (failure[0] != null) {
            throw failure[0];
        }
        if (code != 0) {
            throw new IllegalStateException("'bin/sluice " + String.join(" ", args) + "' ended with exit code " + code);
        }
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
