package io.sluice.runtime.source;

import io.sluice.api.source.InputStatus;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceSplit;
import io.sluice.runtime.operator.OperatorException;
import io.sluice.runtime.task.ReaderSnapshot;
import io.sluice.runtime.task.TaskInput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Drives a source reader: registers it with its source coordinator, hands it the splits the coordinator assigns, and
 * polls it; each poll emits a batch into the reader's {@link SourceOutputs}, which pass the records into the chain and
 * generate the source's watermarks per split. When the reader ends, emits the final watermark ({@link Long#MAX_VALUE})
 * so every event-time timer downstream fires.
 *
 * <p>Keeps which splits the reader was given, so a checkpoint records the ones it finished by id; passes each
 * checkpoint's id to the reader's snapshot and each completion to the reader. Task thread only:
 * coordinator events arrive as mails ({@link #handle}).
 */
public final class SourceReaderInput implements TaskInput {
    private static final long WAIT_FOR_REGISTRATION_NANOS = 1_000_000L;

    private final SourceReader<Object, SourceSplit> reader;
    private final SourceOutputs outputs;
    private final String name;
    private final int subtask;
    private final SplitRequests coordinator;
    private final List<SourceSplit> restoredSplits;
    /** Ids of the splits the reader was given and has not finished, in the order given. */
    private final Set<String> held = new LinkedHashSet<>();
    private final List<String> finished;
    private boolean registrationSent;
    private boolean registered;
    private boolean started;
    private boolean ended;
    private boolean closed;

    /**
     * @param restoredSplits   the splits this reader restores (with their positions), given before the first poll
     * @param restoredFinished the ids of finished splits this subtask carries on from the checkpoint
     */
    public SourceReaderInput(SourceReader<Object, SourceSplit> reader, SourceOutputs outputs, String name, int subtask,
            SplitRequests coordinator, List<SourceSplit> restoredSplits, List<String> restoredFinished) {
        this.reader = reader;
        this.outputs = outputs;
        this.name = name;
        this.subtask = subtask;
        this.coordinator = coordinator;
        this.restoredSplits = List.copyOf(restoredSplits);
        this.finished = new ArrayList<>(restoredFinished);
    }

    /** Task thread (a mail): an event from the source coordinator. */
    public void handle(ReaderEvent event) {
        try {
            switch (event) {
                case ReaderEvent.SplitsAssigned assigned -> give(assigned.splits());
                case ReaderEvent.NoMoreSplits ignored -> reader.notifyNoMoreSplits();
                case ReaderEvent.Registered ignored -> registered = true;
            }
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(name, e);
        }
    }

    private void give(List<SourceSplit> splits) throws Exception {
        List<String> ids = new ArrayList<>(splits.size());
        for (SourceSplit s : splits) {
            held.add(s.splitId());
            ids.add(s.splitId());
        }
        outputs.addSplits(ids);
        reader.addSplits(splits);
    }

    /**
     * Once, before anything else reads the reader: hands it the splits it restores and registers it. A checkpoint
     * trigger may come before the first poll; its snapshot must hold the restored splits.
     */
    private void startOnce() {
        if (registrationSent) {
            return;
        }
        registrationSent = true;
        try {
            if (!restoredSplits.isEmpty()) {
                give(restoredSplits);
            }
        } catch (Exception | Error e) {
            throw new OperatorException(name, e);
        }
        coordinator.registerReader(subtask);
    }

    @Override
    public Status processSome() {
        if (!registered) {
            startOnce();
            return Status.NOTHING_NOW;
        }
        InputStatus status;
        try {
            status = reader.pollNext(outputs);
            if (!started && status != InputStatus.END_OF_INPUT) {
                started = true;
                outputs.start();
            }
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(name, e);
        }
        return switch (status) {
            case MORE_AVAILABLE -> Status.MORE;
            case NOTHING_AVAILABLE -> Status.NOTHING_NOW;
            case END_OF_INPUT -> {
                ended = true;
                outputs.endOfInput();
                yield Status.ENDED;
            }
        };
    }

    @Override
    public boolean hasInputNow() {
        return false;
    }

    @Override
    public long maxWaitNanos() {
        return registered ? reader.nanosUntilAvailable() : WAIT_FOR_REGISTRATION_NANOS;
    }

    @Override
    public void close() throws Exception {
        closed = true;
        reader.close();
    }

    /** Task thread: passed on to the reader unless it was closed. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (closed) {
            return;
        }
        try {
            reader.notifyCheckpointComplete(checkpointId);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(name, e);
        }
    }

    /** Task thread. After the input ended: no splits held, every split given finished. */
    @Override
    public ReaderSnapshot snapshotReader(long checkpointId) {
        startOnce();
        List<? extends SourceSplit> splits = ended ? List.of() : reader.snapshotSplits(checkpointId);
        Set<String> stillHeld = new HashSet<>();
        for (SourceSplit s : splits) {
            stillHeld.add(s.splitId());
        }
        var it = held.iterator();
        while (it.hasNext()) {
            String id = it.next();
            if (!stillHeld.contains(id)) {
                finished.add(id);
                it.remove();
            }
        }
        return new ReaderSnapshot(splits, finished);
    }
}
