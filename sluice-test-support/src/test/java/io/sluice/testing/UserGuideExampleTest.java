package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of "Testing your functions" in docs/user-guide.md, kept compiling and passing here. */
class UserGuideExampleTest {

    record Click(String user) {}

    /** Counts clicks per user; one second after a user's first click, emits "user: count". */
    static final class CountClicks implements KeyedProcessFunction<String, Click, String> {
        static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Types.LONG, 0L);
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(COUNT);
        }

        @Override
        public void processElement(Click click, Context<String> ctx, Collector<String> out) {
            if (count.value() == 0) {
                ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 1_000);
            }
            count.update(count.value() + 1);
        }

        @Override
        public void onTimer(long time, OnTimerContext<String> ctx, Collector<String> out) {
            out.collect(ctx.currentKey() + ": " + count.value());
        }
    }

    @Test
    void countClicks() throws Exception {
        var harness = new KeyedProcessFunctionHarness<>(Click::user, Types.STRING, new CountClicks());
        harness.processElement(new Click("ann"), 1_000);   // a record and its timestamp
        harness.processElement(new Click("ann"), 1_500);
        harness.processWatermark(1_999);
        assertEquals(List.of(), harness.output());
        harness.processWatermark(2_000);                   // ann's timer fires
        assertEquals(List.of(new Timestamped<>("ann: 2", 2_000)), harness.output());
        assertEquals(2L, harness.state("ann", CountClicks.COUNT).value());

        HarnessSnapshot snapshot = harness.snapshot();     // what a checkpoint would hold
        harness.close();
        int owner = OwnedKeys.owner("ann", 2, 128); // the guide restores subtask 0; here the one holding ann
        var restored = KeyedProcessFunctionHarness.restoredFrom(List.of(snapshot), new Subtask(owner, 2, 128),
                Click::user, Types.STRING, new CountClicks()); // one subtask of 2: only its keys come back
        assertEquals(2L, restored.state("ann", CountClicks.COUNT).value());
        var other = KeyedProcessFunctionHarness.restoredFrom(List.of(snapshot), new Subtask(1 - owner, 2, 128),
                Click::user, Types.STRING, new CountClicks());
        assertEquals(false, other.ownsKey("ann"));
        restored.close();
        other.close();
    }
}
