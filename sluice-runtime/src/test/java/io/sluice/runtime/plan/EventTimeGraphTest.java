package io.sluice.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.types.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How event time appears in the job graph and the plan: strategies on sources, a chained timestamps operator. */
class EventTimeGraphTest {

    @Test
    void sourcesCarryTheirStrategyAndTimestampsOperatorsChainLikeAMap() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        WatermarkStrategy<Long> strategy = WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ofMillis(5))
                .withTimestampAssigner((v, ts) -> v);
        env.fromSource(new SequenceSource(1, 10, 0), strategy, "WithTime")
                .map(v -> v + 1, Types.LONG).name("Inc")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((v, ts) -> v * 2))
                .name("Stamp")
                .sinkTo(new CollectSink<>()).name("Out");
        env.generateSequence(1, 5).name("Plain").sinkTo(new CollectSink<>()).name("Out2");
        JobGraph graph = env.buildJobGraph("graph");

        var withTime = assertInstanceOf(OperatorSpec.SourceSpec.class, graph.nodes().get(0).spec());
        assertSame(strategy, withTime.watermarkStrategy());
        var plain = assertInstanceOf(OperatorSpec.SourceSpec.class, graph.nodes().stream()
                .filter(n -> n.name().equals("Plain")).findFirst().orElseThrow().spec());
        assertTrue(plain.watermarkStrategy().isPassThrough(), "the two-argument fromSource has no watermarks");
        var stamp = graph.nodes().stream().filter(n -> n.name().equals("Stamp")).findFirst().orElseThrow();
        assertInstanceOf(OperatorSpec.TimestampsSpec.class, stamp.spec());
        assertEquals("timestamps-2", stamp.uid());

        ChainLayout plan = ChainPlanner.plan(graph);
        assertEquals(plan.chainOfNode().get(0), plan.chainOfNode().get(stamp.id()), "source, map and timestamps are one chain");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(graph);
        }
        JobGraph copy = (JobGraph) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        var copied = (OperatorSpec.SourceSpec) copy.nodes().get(0).spec();
        @SuppressWarnings("unchecked")
        var assigner = (io.sluice.api.eventtime.TimestampAssigner<Long>) copied.watermarkStrategy().timestampAssigner().orElseThrow();
        assertEquals(42L, assigner.extractTimestamp(42L, 0), "the assigner survives shipping");
    }

    @Test
    void aNullStrategyIsRejectedWhereItIsGiven() {
        StreamEnvironment env = StreamEnvironment.create();
        assertThrows(NullPointerException.class, () -> env.fromSource(new SequenceSource(1, 2, 0), null, "S"));
        assertThrows(NullPointerException.class, () -> env.generateSequence(1, 2).assignTimestampsAndWatermarks(null));
    }
}
