package io.sluice.connectors.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names of {@link TransactionalFileSink}'s files, directory listing and directory fsync. */
final class PartFiles {

    private static final Pattern IN_PROGRESS = Pattern.compile("\\.part-(\\d{1,9})-(\\d{1,18})-of-(\\d{1,9})\\.inprogress");
    private static final Pattern COMMITTED = Pattern.compile("part-(\\d{1,9})-(\\d{1,18})");

    /** One of the sink's files found in the directory. {@code parallelism} is 0 for a committed file. */
    record Part(Path path, int subtask, long seq, int parallelism, boolean committed) {
        static final Comparator<Part> ORDER = Comparator.comparingInt(Part::subtask).thenComparingLong(Part::seq);
    }

    private PartFiles() {}

    static String inProgressName(int subtask, long seq, int parallelism) {
        return ".part-" + subtask + "-" + seq + "-of-" + parallelism + ".inprogress";
    }

    static String finalName(int subtask, long seq) {
        return "part-" + subtask + "-" + seq;
    }

    /** The sink's files in {@code dir} (committed and in-progress; other names ignored), by subtask then seq. */
    static List<Part> list(Path dir) throws IOException {
        List<Part> parts = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                Matcher m = COMMITTED.matcher(name);
                if (m.matches()) {
                    parts.add(new Part(p, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), 0, true));
                    continue;
                }
                m = IN_PROGRESS.matcher(name);
                if (m.matches()) {
                    parts.add(new Part(p, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                            Integer.parseInt(m.group(3)), false));
                }
            }
        }
        parts.sort(Part.ORDER);
        return parts;
    }

    /** Makes the directory's entries (creations, renames, deletions) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
