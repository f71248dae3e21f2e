package io.sluice.connectors.file;

import io.sluice.api.source.InputStatus;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the lines of its file splits in order, a bounded number per poll, each split through its own
 * {@link SourceOutput#forSplit split output} (released when the split is read). Asks its enumerator for the next split
 * as soon as it opens its last one (so the answer is there when it needs it), and ends once it has read everything
 * and the enumerator said no more will come. Task thread only.
 */
final class TextLineReader implements SourceReader<String, FileSplit> {
    private static final int LINES_PER_POLL = 1024;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final String operatorName;
    private final SourceReaderContext context;
    /** A split request was sent and not answered yet. */
    private boolean requested;
    private boolean noMoreSplits;
    private final ArrayDeque<FileSplit> pending = new ArrayDeque<>();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private byte[] line = new byte[256];
    private FileSplit current;
    private FileChannel channel;
    /** File offset of {@code buffer}'s next unread byte. */
    private long position;
    private boolean eof;

    TextLineReader(SourceReaderContext context) {
        this.operatorName = context.operatorName();
        this.context = context;
    }

    @Override
    public void addSplits(List<FileSplit> splits) {
        requested = false;
        pending.addAll(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
        requested = false;
        noMoreSplits = true;
    }

    @Override
    public InputStatus pollNext(SourceOutput<String> output) throws IOException {
        SourceOutput<String> splitOutput = current != null ? output.forSplit(current.splitId()) : null;
        for (int n = 0; n < LINES_PER_POLL; n++) {
            if (current == null) {
                if (!openNext()) {
                    return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
                }
                splitOutput = output.forSplit(current.splitId());
            }
            if (position >= current.end() || !readLine(splitOutput)) {
                output.releaseSplit(current.splitId());
                closeCurrent();
            }
        }
        return current == null && pending.isEmpty() && noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
    }

    private boolean openNext() throws IOException {
        FileSplit split = pending.poll();
        if (pending.isEmpty()) {
            requestMore();
        }
        if (split == null) {
            return false;
        }
        current = split;
        channel = FileChannel.open(Path.of(split.path()), StandardOpenOption.READ);
        eof = false;
        buffer.clear().flip();
        if (split.atLineStart()) {
            seek(split.offset());
        } else {
            // The range starts mid-file: the line running through its start belongs to the previous range.
            seek(split.offset() - 1);
            skipPastNewline();
        }
        return true;
    }

    private void seek(long offset) throws IOException {
        channel.position(offset);
        position = offset;
        buffer.clear().flip();
        eof = false;
    }

    private int nextByte() throws IOException {
        if (!buffer.hasRemaining()) {
            if (eof) {
                return -1;
            }
            buffer.clear();
            int read = channel.read(buffer);
            buffer.flip();
            if (read <= 0) {
                eof = true;
                return -1;
            }
        }
        position++;
        return buffer.get() & 0xff;
    }

    private void skipPastNewline() throws IOException {
        int b;
        while ((b = nextByte()) != -1 && b != '\n') {
            // skip the tail of the previous range's last line
        }
    }

    /** Reads one line starting at {@code position}; {@code false} at the end of the file. */
    private boolean readLine(SourceOutput<String> output) throws IOException {
        long lineStart = position;
        int length = 0;
        int b;
        while ((b = nextByte()) != -1 && b != '\n') {
            if (length == line.length) {
                line = java.util.Arrays.copyOf(line, length * 2);
            }
            line[length++] = (byte) b;
        }
        if (b == -1 && length == 0) {
            return false;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        output.collect(decode(length, lineStart));
        return true;
    }

    private String decode(int length, long lineStart) throws IOException {
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            if (line[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(line, 0, length, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IOException("Source '" + operatorName + "': malformed UTF-8 in file " + current.path()
                    + " in the line starting at byte offset " + lineStart, e);
        }
    }

    private void closeCurrent() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        current = null;
    }

    private void requestMore() {
        if (!requested && !noMoreSplits) {
            requested = true;
            context.sendSplitRequest();
        }
    }

    @Override
    public List<FileSplit> snapshotSplits() {
        List<FileSplit> state = new ArrayList<>();
        if (current != null) {
            state.add(new FileSplit(current.path(), position, current.end(), true));
        }
        state.addAll(pending);
        return state;
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
    }
}
