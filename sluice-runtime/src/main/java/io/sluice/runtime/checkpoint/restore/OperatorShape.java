package io.sluice.runtime.checkpoint.restore;

import java.util.Objects;

/**
 * What a restore needs to know of one operator of the new job.
 *
 * @param uid         the operator's uid: its state in the checkpoint is the state written under this uid
 * @param name        the operator's name, for error messages
 * @param parallelism its number of subtasks in the new job, at least 1
 * @param keyed       whether it has keyed state (a keyed state backend per subtask): then it restores keyed state
 *                    by key group, and a checkpoint must hold every old subtask of it
 * @param source      whether it is a source: then it restores the splits its old subtasks held
 */
public record OperatorShape(String uid, String name, int parallelism, boolean keyed, boolean source) {
    public OperatorShape {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(name, "name");
        if (parallelism < 1) {
            throw new IllegalArgumentException("operator '" + name + "' (uid " + uid + "): parallelism must be at least 1, was "
                    + parallelism);
        }
    }
}
