package io.sluice.cli.project;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice new-job DIR --package P [--name NAME]}: writes a Maven project for the user's own job into DIR (see
 * {@link JobProject}) and prints what to do next. A bad package or name, or a DIR that exists and is not empty, is a
 * bad command line (exit 2) and nothing is written; a failure to write leaves nothing behind (exit 1).
 */
@Command(name = "new-job", description = {
    "Writes a Maven project for your own job into DIR: an example job (P.WordLengths), a test of its functions with "
        + "Sluice's harnesses, and a pom whose 'mvn package' builds a jar for 'bin/sluice run --jar'.",
    "Build it after 'bin/sluice install', which puts Sluice's artifacts into your local Maven repository."})
public final class NewJobCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The project's directory: a new or an empty one.")
    Path dir;

    @Option(names = "--package", required = true, paramLabel = "P",
            description = "The Java package of the job's classes, e.g. com.example; also the project's groupId.")
    String javaPackage;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The project's artifactId and jar name (default: DIR's name).")
    String name;

    @Override
    public Integer call() throws Exception {
        JobProject project;
        ProjectWriter writer;
        try {
            project = new JobProject(javaPackage, name != null ? name : defaultName());
            writer = ProjectWriter.into(dir);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Path> written = writer.write(project.files(BuildVersions.load()));
        print(project, written);
        return 0;
    }

    /** DIR's own name, or a clear error if it has none (e.g. the file system's root). */
    private String defaultName() {
        Path last = dir.toAbsolutePath().normalize().getFileName();
        if (last == null) {
            throw new IllegalArgumentException("cannot take the project's name from " + dir + "; give it with --name");
        }
        return last.toString();
    }

    private void print(JobProject project, List<Path> written) {
        PrintStream out = System.out;
        Path root = dir.toAbsolutePath().normalize();
        out.println("Wrote the job project '" + project.name() + "' (package " + project.javaPackage() + ") into " + dir + ":");
        for (Path file : written) {
            out.println("  " + root.relativize(file));
        }
        out.println("Next:");
        out.println("  bin/sluice install       # once: Sluice's artifacts into your local Maven repository");
        out.println("  cd " + dir + " && mvn package");
        out.println("  bin/sluice run " + project.mainClass() + " --jar " + dir.resolve("target").resolve(project.name() + ".jar")
                + " --input PATH --output FILE");
    }
}
