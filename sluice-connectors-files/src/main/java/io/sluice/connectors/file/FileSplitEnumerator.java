package io.sluice.connectors.file;

import io.sluice.api.source.SplitEnumerator;
import io.sluice.api.source.SplitEnumeratorContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out file splits one at a time, to whichever reader asks: a reader that is through with its split asks for the
 * next, so fast readers take more of the input than slow ones (no reader idles while another has a long queue). A
 * request when none is left tells the reader that no more will come.
 *
 * <p>Threading: the source coordinator thread, as every {@link SplitEnumerator}.
 */
final class FileSplitEnumerator implements SplitEnumerator<FileSplit> {
    private final SplitEnumeratorContext<FileSplit> context;
    private final ArrayDeque<FileSplit> remaining;

    FileSplitEnumerator(SplitEnumeratorContext<FileSplit> context, List<FileSplit> splits) {
        this.context = context;
        this.remaining = new ArrayDeque<>(splits);
    }

    @Override
    public void addReader(int subtask) {
        // Readers ask when they are ready; nothing is pushed.
    }

    @Override
    public void handleSplitRequest(int subtask) {
        FileSplit next = remaining.poll();
        if (next == null) {
            context.signalNoMoreSplits(subtask);
        } else {
            context.assignSplits(subtask, List.of(next));
        }
    }

    @Override
    public void addSplitsBack(List<FileSplit> splits, int subtask) {
        splits.forEach(remaining::addFirst);
    }

    @Override
    public List<FileSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(remaining);
    }
}
