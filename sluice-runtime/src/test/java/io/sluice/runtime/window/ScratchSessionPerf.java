package io.sluice.runtime.window;

import static io.sluice.runtime.window.WindowHarness.spec;
import static io.sluice.runtime.window.WindowTestFunctions.SUM;
import static java.time.Duration.ofMillis;

import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import org.junit.jupiter.api.Test;

class ScratchSessionPerf {
    @Test
    void run() throws Exception {
        for (int round = 0; round < 2; round++) {
            for (String kind : new String[] {"tumbling", "session"}) {
                WindowHarness h = new WindowHarness(spec(k -> (kind.equals("session")
                        ? k.window(EventTimeSessionWindows.withGap(ofMillis(1_000_000)))
                        : k.window(TumblingEventTimeWindows.of(ofMillis(1_000_000)))).reduce(SUM)));
                String[] keys = new String[20_000];
                for (int i = 0; i < keys.length; i++) keys[i] = "k" + i;
                java.util.Random rnd = new java.util.Random(1); long t0 = System.nanoTime();
                for (int i = 0; i < 200_000; i++) {
                    h.record(keys[rnd.nextInt(keys.length)], 1, i);
                }
                System.out.println(kind + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        }
    }
}
