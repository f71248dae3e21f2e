package io.sluice.cli.project;

import java.util.Objects;

/**
 * A file of a project to write.
 *
 * @param path    where it goes, relative to the project's directory, with {@code /} between names
 * @param content its text, written as UTF-8
 */
record ProjectFile(String path, String content) {
    ProjectFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
    }
}
