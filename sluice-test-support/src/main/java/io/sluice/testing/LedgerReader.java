package io.sluice.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the files of a ledger directory ({@link LedgerFile}), line by line, streaming: a ledger may hold far more
 * tags than fit in memory at once, so callers read it in passes. A last line without its line end (a process killed
 * while appending it) is skipped; any other malformed line is an error naming its file and line.
 */
final class LedgerReader {
    private LedgerReader() {}

    /** A pre-committed transaction: a {@code T} line (tags) or a {@code W} line (a witness's positions). */
    record PreCommit(char kind, String id, long checkpointId, int subtask, String[] fields, String where) {

        /** Receives the tags of a {@code T} line. */
        @FunctionalInterface
        interface TagConsumer {
            void accept(String split, long offset);
        }

        /** Every tag of a {@code T} line, repeats included. */
        void forEachTag(TagConsumer consumer) throws IOException {
            for (int i = 0; i < fields.length; i += 2) {
                String split = LedgerText.unescape(fields[i]);
                try {
                    LedgerText.forEachOffset(fields[i + 1], offset -> consumer.accept(split, offset));
                } catch (NumberFormatException e) {
                    throw new IOException(where + ": malformed offsets of split " + split + ": " + e.getMessage());
                }
            }
        }

        /** The split positions of a {@code W} line. */
        Map<String, Long> positions() throws IOException {
            Map<String, Long> positions = new LinkedHashMap<>();
            for (int i = 0; i < fields.length; i += 2) {
                try {
                    positions.put(LedgerText.unescape(fields[i]), Long.parseLong(fields[i + 1]));
                } catch (NumberFormatException e) {
                    throw new IOException(where + ": malformed position '" + fields[i + 1] + "'");
                }
            }
            return positions;
        }
    }

    /** Receives the lines of a ledger. */
    interface Visitor {
        void preCommitted(PreCommit transaction) throws IOException;

        void committed(String transactionId) throws IOException;
    }

    /** Whether {@code directory} holds ledger files. */
    static boolean exists(Path directory) throws IOException {
        return !files(directory).isEmpty();
    }

    /** Passes every complete line of every ledger file in {@code directory} to {@code visitor}, file by file. */
    static void read(Path directory, Visitor visitor) throws IOException {
        for (Path file : files(directory)) {
            readFile(file, visitor);
        }
    }

    private static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(p -> p.getFileName().toString().endsWith(LedgerFile.SUFFIX)).sorted().toList();
        }
    }

    private static void readFile(Path file, Visitor visitor) throws IOException {
        boolean tornEnd = !endsWithLineEnd(file);
        List<String> pending = new ArrayList<>(1);
        int number = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                // A line is handled once the next one is known to exist: the last one may be torn.
                if (!pending.isEmpty()) {
                    parse(pending.removeFirst(), file + ":" + number, visitor);
                }
                pending.add(line);
                number++;
            }
        }
        if (!pending.isEmpty() && !tornEnd) {
            parse(pending.removeFirst(), file + ":" + number, visitor);
        }
    }

    private static boolean endsWithLineEnd(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length == 0) {
                return true;
            }
            raf.seek(length - 1);
            return raf.read() == '\n';
        }
    }

    private static void parse(String line, String where, Visitor visitor) throws IOException {
        String[] fields = line.split("\t", -1);
        switch (fields[0]) {
            case "C" -> {
                if (fields.length != 2) {
                    throw malformed(where, "a commit line has 2 fields, this one " + fields.length);
                }
                visitor.committed(fields[1]);
            }
            case "T", "W" -> {
                if (fields.length < 4 || fields.length % 2 != 0) {
                    throw malformed(where, "a pre-commit line has 4 fields and pairs after them, this one " + fields.length);
                }
                long checkpointId;
                int subtask;
                try {
                    checkpointId = Long.parseLong(fields[2]);
                    subtask = Integer.parseInt(fields[3]);
                } catch (NumberFormatException e) {
                    throw malformed(where, "checkpoint or subtask is not a number: " + e.getMessage());
                }
                String[] rest = new String[fields.length - 4];
                System.arraycopy(fields, 4, rest, 0, rest.length);
                visitor.preCommitted(new PreCommit(fields[0].charAt(0), fields[1], checkpointId, subtask, rest, where));
            }
            default -> throw malformed(where, "unknown line kind '" + fields[0] + "'");
        }
    }

    private static IOException malformed(String where, String why) {
        return new IOException("malformed ledger line at " + where + ": " + why);
    }
}
