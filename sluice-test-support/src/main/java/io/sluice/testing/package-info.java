/**
 * Harnesses that run one operator, or one user function inside the runtime's own operator, on the calling thread
 * with a manual clock: records, watermarks and processing time in; output (with timestamps), side outputs,
 * watermarks and keyed state out; snapshots and restores (also at another parallelism) in between. They use the
 * real runtime code (operators, heap state backend, timers, operator state), so what passes here behaves the same in
 * a job. They depend on no test framework: assert with whatever you use.
 *
 * <pre>{@code
 * var harness = new KeyedProcessFunctionHarness<>(Click::user, Types.STRING, new CountClicks());
 * harness.processElement(new Click("ann"), 1_000);
 * harness.processWatermark(2_000);                  // event-time timers up to 2000 fire
 * harness.setProcessingTime(60_000);                // processing-time timers (and TTL) up to 60 s
 * List<Timestamped<String>> out = harness.output();
 * Long count = harness.state("ann", CountClicks.COUNT).value();
 * HarnessSnapshot snapshot = harness.snapshot();    // restore it elsewhere, at any parallelism
 * harness.close();
 * }</pre>
 *
 * Start with {@link io.sluice.testing.KeyedProcessFunctionHarness}, {@link io.sluice.testing.ProcessFunctionHarness}
 * or {@link io.sluice.testing.OneInputFunctionHarness}; {@link io.sluice.testing.OperatorHarness} is the common core.
 *
 * <p>For whole jobs, {@link io.sluice.testing.ExactlyOnceVerifier} checks that a job under test commits every source
 * record exactly once across failures, restarts and resumes, and names each lost or duplicated record by its source
 * coordinates.
 */
package io.sluice.testing;
