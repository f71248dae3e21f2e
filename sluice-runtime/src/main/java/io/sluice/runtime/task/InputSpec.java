package io.sluice.runtime.task;

import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.StreamOperator;

/** What feeds a task, as its deployment describes it; the task builds the input (with its barrier handling) from it. */
public sealed interface InputSpec {

    /** An input built already: a source reader's (triggered by checkpoint mails), or a test's. */
    record Prepared(TaskInput input) implements InputSpec {}

    /**
     * Channels from other tasks; {@code inputIndex[i]} says which input of {@code head} channel {@code i} feeds. The
     * task aligns their barriers when it takes part in checkpoints.
     */
    record Channels(Channel[] channels, int[] inputIndex, StreamOperator head, OperatorCounters counters, String headName)
            implements InputSpec {}
}
