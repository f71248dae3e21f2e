package io.sluice.runtime.task;

import io.sluice.api.source.SourceReader;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.Output;
import io.sluice.runtime.operator.StreamOperator;

/** Creates the two kinds of task input. */
public final class TaskInputs {
    private TaskInputs() {}

    /** Input read by a source reader, emitted into the source node's output. */
    public static TaskInput source(SourceReader<Object, ?> reader, Output output, String name) {
        return new SourceInput(reader, output, name);
    }

    /** Input from channels; {@code inputIndex[i]} says which input of {@code head} channel i feeds. */
    public static TaskInput channels(Channel[] channels, int[] inputIndex, StreamOperator head, OperatorCounters counters,
            String headName) {
        return new GateInput(channels, inputIndex, head, counters, headName);
    }
}
