package io.sluice.testing;

/**
 * A witness's recording that first checks, at its first record, that it runs chained to its source ({@link
 * ChainCheck}): otherwise its positions could include records that passed the source after a checkpoint's barrier.
 */
final class ChainedRecording implements Recording {
    private final Recording recording;
    private final String chainKey;
    private final String operatorName;
    private boolean checked;

    ChainedRecording(Recording recording, String chainKey, String operatorName) {
        this.recording = recording;
        this.chainKey = chainKey;
        this.operatorName = operatorName;
    }

    @Override
    public void add(Tag tag) {
        if (!checked) {
            if (!ChainCheck.readHere(chainKey)) {
                throw new IllegalStateException("'" + operatorName + "' does not run in its source's task: it must be "
                        + "chained to the source, so set the source's parallelism with env.setParallelism before "
                        + "ExactlyOnceVerifier.fromSource, not on the stream fromSource returns");
            }
            checked = true;
        }
        recording.add(tag);
    }

    @Override
    public boolean isEmpty() {
        return recording.isEmpty();
    }

    @Override
    public char kind() {
        return recording.kind();
    }

    @Override
    public void drainInto(StringBuilder line) {
        recording.drainInto(line);
    }
}
