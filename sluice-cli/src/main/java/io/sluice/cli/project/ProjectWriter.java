package io.sluice.cli.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a project's files into a directory that does not exist yet or is empty: only below that directory (a path
 * that would lead out of it is refused) and never over an existing file. If writing fails, what it created is removed
 * again. One use per instance.
 */
final class ProjectWriter {
    private final Path root;

    private ProjectWriter(Path root) {
        this.root = root;
    }

    /**
     * A writer into {@code dir}.
     *
     * @throws IllegalArgumentException if {@code dir} exists and is not an empty directory
     * @throws IOException              if {@code dir} cannot be listed
     */
    static ProjectWriter into(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) { // a link too, even a dangling one
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException(dir + " exists and is not a directory; give a new or empty directory");
            }
            try (Stream<Path> entries = Files.list(root)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + " exists and is not empty; give a new or empty directory");
                }
            }
        }
        return new ProjectWriter(root);
    }

    /**
     * Writes {@code files} and returns their paths, in order.
     *
     * @throws IllegalArgumentException if a file's path is absolute, empty or leads out of the directory
     * @throws IOException              if a file cannot be written (also if it appeared meanwhile); the files and
     *                                  directories written until then are removed
     */
    List<Path> write(List<ProjectFile> files) throws IOException {
        List<Path> targets = new ArrayList<>();
        for (ProjectFile file : files) {
            targets.add(resolve(file.path()));
        }
        List<Path> created = new ArrayList<>(); // files and directories, parents first
        try {
            createDirectories(root, created);
            for (int i = 0; i < files.size(); i++) {
                Path target = targets.get(i);
                createDirectories(target.getParent(), created);
                Files.writeString(target, files.get(i).content(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                created.add(target);
            }
        } catch (IOException e) {
            removeAll(created, e);
            throw new IOException("cannot write the project into " + root + ": " + e, e);
        }
        return targets;
    }

    /** The absolute path of {@code relative} below the directory. */
    Path resolve(String relative) {
        Path path = Path.of(relative);
        Path resolved = root.resolve(path).normalize();
        if (relative.isEmpty() || path.isAbsolute() || !resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalArgumentException("the project file '" + relative + "' would not be below " + root);
        }
        return resolved;
    }

    private static void createDirectories(Path dir, List<Path> created) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createDirectories(dir.getParent(), created);
        Files.createDirectory(dir);
        created.add(dir);
    }

    private static void removeAll(List<Path> created, IOException failure) {
        for (Path p : created.reversed()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
