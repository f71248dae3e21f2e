package io.sluice.runtime.task;

import io.sluice.api.source.SourceReader;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.eventtime.SourceOutputs;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.StreamOperator;

/** Creates the two kinds of task input. */
public final class TaskInputs {
    private TaskInputs() {}

    /** Input read by a source reader, emitted through {@code outputs}, which generate the source's watermarks. */
    public static TaskInput source(SourceReader<Object, ?> reader, SourceOutputs outputs, String name) {
        return new SourceInput(reader, outputs, name);
    }

    /** Input from channels; {@code inputIndex[i]} says which input of {@code head} channel i feeds. */
    public static TaskInput channels(Channel[] channels, int[] inputIndex, StreamOperator head, OperatorCounters counters,
            String headName) {
        return new GateInput(channels, inputIndex, head, counters, headName);
    }
}
