package io.sluice.cli;

import io.sluice.api.EnvironmentContext;
import io.sluice.api.EnvironmentSettings;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice run <job>}: a built-in example (a subcommand) or the main class of a user job, loaded from the
 * classpath and the jars given with {@code --jar}. The main class gets every argument that is not an option of this
 * command, options of its own included ({@code run com.example.MyJob --jar my.jar --input in --output out} passes
 * {@code [--input, in, --output, out]}); everything after {@code --} goes to it as well. The built-in examples keep
 * refusing unknown options.
 */
@Command(name = "run", description = "Runs a built-in example or the main class of your job.",
        subcommands = {WordCountCommand.class, WindowCountCommand.class, CountsCommand.class, KafkaCountsCommand.class, NexmarkCommand.class,
            SoakJobCommand.class},
        modelTransformer = RunCommand.UnknownOptionsGoToTheJob.class)
final class RunCommand implements Callable<Integer> {

    /** Unknown options of {@code run} itself (not of its built-in examples) become arguments of the main class. */
    static final class UnknownOptionsGoToTheJob implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            command.parser().unmatchedOptionsArePositionalParams(true);
            return command;
        }
    }

    /**
     * Takes the job's name, which comes before the main class's own options: an unknown option in its place is a bad
     * command line (also before a built-in example, which would otherwise run without it).
     */
    static final class JobName implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec command) {
            String job = args.pop();
            if (job.startsWith("-")) {
                throw new ParameterException(command.commandLine(), "Unknown option: '" + job
                        + "' (the main class's own options come after its name)");
            }
            argSpec.setValue(job);
        }
    }

    @Spec
    CommandSpec spec;

    // Optional for picocli, so that a built-in example name is taken as the subcommand; checked in call().
    @Parameters(index = "0", arity = "0..1", paramLabel = "<job>", parameterConsumer = JobName.class, description = "A built-in example (wordcount, windowcount) or a main class.")
    String job;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the main class, its own options included.")
    List<String> args = new ArrayList<>();

    @Option(names = "--jar", paramLabel = "JAR", description = "A jar holding the job; may be repeated.")
    List<File> jars = new ArrayList<>();

    @Mixin
    JobOptions options;

    @Override
    public Integer call() throws Exception {
        if (job == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: '<job>'");
        }
        EnvironmentSettings settings = options.settings();
        List<URL> urls = new ArrayList<>();
        for (File jar : jars) {
            if (!jar.canRead()) {
                throw new IllegalArgumentException("cannot read the jar " + jar);
            }
            urls.add(jar.toURI().toURL());
        }
        // The job's own class loader, closed when its main returns (its jars' files with it): the command runs the
        // job to its end inside main, as execute() does; nothing of the job outlives the command.
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), getClass().getClassLoader())) {
            return runMain(loader, settings);
        }
    }

    private int runMain(ClassLoader loader, EnvironmentSettings settings) throws Exception {
        Class<?> main;
        try {
            main = Class.forName(job, true, loader);
        } catch (ClassNotFoundException e) {
            List<String> examples = spec.subcommands().entrySet().stream()
                    .filter(c -> !c.getValue().getCommandSpec().usageMessage().hidden()).map(java.util.Map.Entry::getKey).toList();
            throw new IllegalArgumentException("unknown job '" + job + "': not a built-in example (" + String.join(", ", examples)
                    + ") and no such class" + (jars.isEmpty() ? " (add its jar with --jar)" : " in the given jars"));
        }
        Method method = main.getMethod("main", String[].class);
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException(job + ".main is not static");
        }
        // The job's classes and settings for exactly the duration of its main, also when it throws: nothing is left
        // for a later command in this JVM (tests, embedding).
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            EnvironmentContext.callWith(settings, () -> method.invoke(null, (Object) args.toArray(String[]::new)));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            thread.setContextClassLoader(previous);
        }
        return 0;
    }
}
