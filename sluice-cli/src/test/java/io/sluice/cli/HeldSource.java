package io.sluice.cli;

import io.sluice.api.source.ForwardingSource;
import io.sluice.api.source.ForwardingSourceReader;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bounded source whose readers do not end before a file exists: once the wrapped reader read all its input, the
 * reader says {@link InputStatus#NOTHING_AVAILABLE} (asked again every {@value #POLL_MILLIS} ms) until {@code release}
 * exists, then ends. So a test keeps a bounded job running, checkpointing and restartable, until it has done what it
 * does to the running job (kill workers, count restarts), however fast the job reads, and then lets it finish.
 * Splits, positions and enumerators are the wrapped source's, so its checkpoints are unchanged. The file is checked
 * only while held, never per record. Each reader runs on its task thread, as {@link SourceReader} says.
 */
final class HeldSource<T, S extends SourceSplit> extends ForwardingSource<T, S> {
    private static final long POLL_MILLIS = 50;

    private final String release;

    /** {@code source}, its readers held at their end until the file {@code release} exists. */
    HeldSource(Source<T, S> source, Path release) {
        super(source);
        this.release = release.toAbsolutePath().toString();
    }

    @Override
    public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
        Path released = Path.of(release);
        return new ForwardingSourceReader<>(wrapped().createReader(context)) {
            /** Whether the wrapped reader ended: from then on only the file is checked. */
            private boolean read;

            @Override
            public InputStatus pollNext(SourceOutput<T> output) throws Exception {
                if (!read) {
                    InputStatus status = wrapped().pollNext(output);
                    if (status != InputStatus.END_OF_INPUT) {
                        return status;
                    }
                    read = true;
                }
                return Files.exists(released) ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
            }

            @Override
            public long nanosUntilAvailable() {
                return read ? POLL_MILLIS * 1_000_000 : wrapped().nanosUntilAvailable();
            }
        };
    }
}
