package io.sluice.cli.soak;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.testing.Tagged;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak job's keyed function, using every kind of keyed state the runtime snapshots, so that state lost or doubled
 * at a restore shows in the output. Per key:
 * <ul>
 *   <li>value state: the running count and sum; each record emits {@code r <key> <n>} (n: the running count), so each
 *       key's lines n = 1..N appear exactly once in correct output;</li>
 *   <li>map state: records per event-time bucket; list state: the ids of the records in buckets not yet emitted;
 *       an event-time timer at each bucket's end emits {@code w <key> <bucket> <count> <sum>} (count from the map,
 *       sum from the list) and clears both, or {@code x ...} if map and list disagree;</li>
 *   <li>a timer at the end of time emits {@code f <key> <count> <sum>} from the value state.</li>
 * </ul>
 * Operator list state holds a marker written at every open: an open that finds it restored a checkpoint, which is
 * when {@link FaultKind#RESTORE_OPEN} strikes. Also injects {@link FaultKind#KEYED_THROW} and {@link
 * FaultKind#TIMER_THROW}, each after the state was changed (a restore must undo the change).
 *
 * <p>Records come {@link Tagged} by the round's exactly-once verifier; each goes on to the side output {@link #RECORDS}
 * (for the verifier's ledger sink) once the state is updated. Task thread only.
 */
final class KeyedBuckets implements KeyedProcessFunction<Integer, Tagged<Long>, String> {
    /** Every record, after the state was updated with it: checked one by one by the verifier. */
    static final OutputTag<Tagged<Long>> RECORDS = new OutputTag<>("soak-records", Tagged.type(Types.LONG));

    private final SoakInput input;
    private transient ValueState<Long> count;
    private transient ValueState<Long> sum;
    private transient MapState<Long, Long> bucketCounts;
    private transient ListState<Long> pendingIds;

    KeyedBuckets(SoakInput input) {
        this.input = input;
    }

    @Override
    public void open(RuntimeContext context) {
        ListState<Integer> marker = context.getOperatorListState(new ListStateDescriptor<>("soak-opened", Types.INT));
        boolean restored = !marker.get().isEmpty();
        marker.update(List.of(1));
        count = context.getState(new ValueStateDescriptor<>("count", Types.LONG, 0L));
        sum = context.getState(new ValueStateDescriptor<>("sum", Types.LONG, 0L));
        bucketCounts = context.getState(new MapStateDescriptor<>("bucket-counts", Types.LONG, Types.LONG));
        pendingIds = context.getState(new ListStateDescriptor<>("pending-ids", Types.LONG));
        if (restored) {
            SoakFaults.maybeFail(FaultKind.RESTORE_OPEN);
        }
    }

    @Override
    public void processElement(Tagged<Long> record, Context<Integer> ctx, Collector<String> out) {
        long id = record.value();
        int key = ctx.currentKey();
        long n = count.value() + 1;
        count.update(n);
        sum.update(sum.value() + input.value(id));
        out.collect("r " + key + " " + n);
        long bucket = input.bucket(input.timestamp(id));
        Long inBucket = bucketCounts.get(bucket);
        bucketCounts.put(bucket, inBucket == null ? 1 : inBucket + 1);
        pendingIds.add(id);
        ctx.timerService().registerEventTimeTimer(input.bucketEnd(bucket));
        if (n == 1) {
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        ctx.output(RECORDS, record);
        SoakFaults.maybeFail(FaultKind.KEYED_THROW);
    }

    @Override
    public void onTimer(long time, OnTimerContext<Integer> ctx, Collector<String> out) {
        int key = ctx.currentKey();
        if (time == Long.MAX_VALUE) {
            out.collect("f " + key + " " + count.value() + " " + sum.value());
            return;
        }
        long bucket = input.bucket(time);
        long listed = 0;
        long listedSum = 0;
        List<Long> later = new ArrayList<>();
        for (long id : pendingIds.get()) {
            if (input.bucket(input.timestamp(id)) == bucket) {
                listed++;
                listedSum += input.value(id);
            } else {
                later.add(id);
            }
        }
        Long counted = bucketCounts.get(bucket);
        if (counted == null || counted != listed) {
            out.collect("x " + key + " " + bucket + " map " + counted + " list " + listed); // never expected
        }
        out.collect("w " + key + " " + bucket + " " + listed + " " + listedSum);
        bucketCounts.remove(bucket);
        pendingIds.update(later);
        SoakFaults.maybeFail(FaultKind.TIMER_THROW);
    }
}
