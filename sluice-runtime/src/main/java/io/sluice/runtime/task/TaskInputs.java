package io.sluice.runtime.task;

import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.StreamOperator;

/** Creates channel input for tests of a task's input on its own ({@link InputSpec} describes a deployed task's). */
public final class TaskInputs {
    private TaskInputs() {}

    /** Input from channels; {@code inputIndex[i]} says which input of {@code head} channel i feeds. */
    public static TaskInput channels(Channel[] channels, int[] inputIndex, StreamOperator head, OperatorCounters counters,
            String headName) {
        return new GateInput(channels, inputIndex, head, counters, headName);
    }
}
