package io.sluice.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.functions.CoProcessFunction;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.Partitioning;
import io.sluice.api.graph.StreamEdge;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which operators the planner chains, and which edges get channels. */
class ChainPlannerTest {

    private static StreamEnvironment env(int parallelism) {
        return StreamEnvironment.create().setParallelism(parallelism);
    }

    private static ChainLayout plan(StreamEnvironment env) {
        return ChainPlanner.plan(env.buildJobGraph("plan-test"));
    }

    /** The chains as lists of operator names, in plan order. */
    private static List<List<String>> chains(ChainLayout plan) {
        return plan.chains().stream()
                .map(c -> c.nodeIds().stream().map(id -> plan.graph().node(id).name()).toList())
                .toList();
    }

    private static void assertConsistent(ChainLayout plan) {
        JobGraph g = plan.graph();
        assertEquals(g.edges().size(), plan.chainedEdges().size() + plan.channelEdges().size(),
                "every edge is either chained or a channel");
        for (StreamEdge e : plan.chainedEdges()) {
            assertEquals(plan.chainOfNode().get(e.sourceId()), plan.chainOfNode().get(e.targetId()), "chained edge " + e);
        }
        for (StreamEdge e : plan.channelEdges()) {
            ChainPlan target = plan.chainOf(e.targetId());
            assertEquals(e.targetId(), target.headNodeId(), "a channel edge ends at a chain head: " + e);
        }
        for (ChainPlan c : plan.chains()) {
            for (int id : c.nodeIds()) {
                assertEquals(c.parallelism(), g.node(id).parallelism(), "members share the chain's parallelism");
            }
        }
    }

    @Test
    void sourceMapFilterSinkAtEqualParallelismIsOneChain() {
        for (int p : new int[] {1, 2, 4}) {
            StreamEnvironment env = env(p);
            env.fromElements(1, 2, 3).name("Src")
                    .map(v -> v + 1).name("Inc")
                    .filter(v -> v > 1).name("Big")
                    .sinkTo(new CollectSink<>()).name("Out");
            ChainLayout plan = plan(env);
            assertConsistent(plan);
            assertEquals(List.of(List.of("Src", "Inc", "Big", "Out")), chains(plan), "parallelism " + p);
            assertEquals("Src -> Inc -> Big -> Out", plan.chains().getFirst().name());
            assertEquals(p, plan.chains().getFirst().parallelism());
            assertTrue(plan.channelEdges().isEmpty());
        }
    }

    @Test
    void keyByBetweenOperatorsOfParallelismOneIsChained() {
        StreamEnvironment env = env(1);
        env.fromElements(1, 2, 3).name("Src")
                .keyBy(v -> v % 2, Types.INT).reduce(Integer::sum).name("Sum")
                .sinkTo(new CollectSink<>()).name("Out");
        ChainLayout plan = plan(env);
        assertConsistent(plan);
        assertEquals(List.of(List.of("Src", "Sum", "Out")), chains(plan));
        StreamEdge keyed = plan.graph().inputsOf(plan.graph().nodes().get(1).id()).getFirst();
        assertInstanceOf(Partitioning.Hash.class, keyed.partitioning());
        assertTrue(plan.chainedEdges().contains(keyed));
    }

    @Test
    void keyByAtParallelismTwoNeedsAChannel() {
        StreamEnvironment env = env(2);
        env.fromElements(1, 2, 3).name("Src")
                .keyBy(v -> v % 2, Types.INT).reduce(Integer::sum).name("Sum")
                .sinkTo(new CollectSink<>()).name("Out");
        ChainLayout plan = plan(env);
        assertConsistent(plan);
        assertEquals(List.of(List.of("Src"), List.of("Sum", "Out")), chains(plan));
        assertEquals(1, plan.channelEdges().size());
        assertInstanceOf(Partitioning.Hash.class, plan.channelEdges().getFirst().partitioning());
        assertEquals("Sum -> Out", plan.chains().get(1).name());
    }

    @Test
    void rebalanceShuffleAndBroadcastAtParallelismTwoAreNotChained() {
        for (String how : List.of("rebalance", "shuffle", "broadcast")) {
            StreamEnvironment env = env(2);
            DataStream<Integer> src = env.fromElements(1, 2, 3).name("Src");
            DataStream<Integer> moved = switch (how) {
                case "rebalance" -> src.rebalance();
                case "shuffle" -> src.shuffle();
                default -> src.broadcast();
            };
            moved.map(v -> v * 2).name("Double").sinkTo(new CollectSink<>()).name("Out");
            ChainLayout plan = plan(env);
            assertConsistent(plan);
            assertEquals(List.of(List.of("Src"), List.of("Double", "Out")), chains(plan), how);
        }
    }

    @Test
    void rebalanceAtParallelismOneIsChained() {
        StreamEnvironment env = env(1);
        env.fromElements(1, 2, 3).name("Src").rebalance().map(v -> v * 2).name("Double").sinkTo(new CollectSink<>()).name("Out");
        assertEquals(List.of(List.of("Src", "Double", "Out")), chains(plan(env)));
    }

    @Test
    void differentParallelismIsNotChained() {
        StreamEnvironment env = env(2);
        env.fromElements(1, 2, 3).name("Src")
                .map(v -> v + 1).name("Wide").setParallelism(3)
                .map(v -> v + 1).name("Narrow").setParallelism(1)
                .sinkTo(new CollectSink<>()).name("Out").setParallelism(1);
        ChainLayout plan = plan(env);
        assertConsistent(plan);
        assertEquals(List.of(List.of("Src"), List.of("Wide"), List.of("Narrow", "Out")), chains(plan));
        // unspecified partitioning between different parallelisms is a rebalance
        for (StreamEdge e : plan.channelEdges()) {
            assertInstanceOf(Partitioning.Rebalance.class, e.partitioning(), e.toString());
        }
    }

    @Test
    void forwardBetweenDifferentParallelismsIsRejected() {
        StreamEnvironment env = env(2);
        env.fromElements(1, 2, 3).name("Src").forward().map(v -> v).name("M").setParallelism(3)
                .sinkTo(new CollectSink<>());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.buildJobGraph("bad"));
        assertTrue(e.getMessage().contains("Src") && e.getMessage().contains("'M'"), e.getMessage());
    }

    @Test
    void aUnionInputIsNotChainedEvenAtParallelismOne() {
        for (int p : new int[] {1, 2}) {
            StreamEnvironment env = env(p);
            DataStream<Integer> a = env.fromElements(1, 2).name("A");
            DataStream<Integer> b = env.fromElements(3, 4).name("B");
            a.union(b).map(v -> v).name("Both").sinkTo(new CollectSink<>()).name("Out");
            ChainLayout plan = plan(env);
            assertConsistent(plan);
            assertEquals(List.of(List.of("A"), List.of("B"), List.of("Both", "Out")), chains(plan), "parallelism " + p);
            assertEquals(2, plan.channelEdges().size());
        }
    }

    @Test
    void aConnectedOperatorIsNotChainedEvenAtParallelismOne() {
        StreamEnvironment env = env(1);
        DataStream<Integer> a = env.fromElements(1, 2).name("A");
        DataStream<String> b = env.fromElements("x").name("B");
        a.connect(b).process(new CoProcessFunction<Integer, String, String>() {
            @Override
            public void processElement1(Integer value, ProcessFunction.Context ctx, Collector<String> out) {
                out.collect("a" + value);
            }

            @Override
            public void processElement2(String value, ProcessFunction.Context ctx, Collector<String> out) {
                out.collect("b" + value);
            }
        }, Types.STRING).name("Co").sinkTo(new CollectSink<>()).name("Out");
        ChainLayout plan = plan(env);
        assertConsistent(plan);
        assertEquals(List.of(List.of("A"), List.of("B"), List.of("Co", "Out")), chains(plan));
        List<Integer> inputs = plan.channelEdges().stream().map(StreamEdge::targetInput).sorted().toList();
        assertEquals(List.of(0, 1), inputs);
    }

    @Test
    void aStreamFeedingTwoOperatorsChainsBothBranches() {
        StreamEnvironment env = env(2);
        DataStream<Integer> src = env.fromElements(1, 2, 3).name("Src");
        src.map(v -> v + 1).name("Left").sinkTo(new CollectSink<>()).name("LeftOut");
        src.map(v -> v - 1).name("Right").sinkTo(new CollectSink<>()).name("RightOut");
        ChainLayout plan = plan(env);
        assertConsistent(plan);
        assertEquals(List.of(List.of("Src", "Left", "LeftOut", "Right", "RightOut")), chains(plan));
        assertEquals("Src -> Left -> LeftOut -> Right -> RightOut", plan.chains().getFirst().name());
    }
}
