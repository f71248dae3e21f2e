/**
 * What a running job shows to operators, read-only: {@link io.sluice.runtime.monitor.JobView} (state, graph, per
 * subtask counts, checkpoints, watermarks, exceptions) and {@link io.sluice.runtime.monitor.JobsView} (the jobs of a
 * process and its workers and slots), implemented by the embedded cluster ({@code LocalExecutor} with a
 * {@link io.sluice.runtime.monitor.JobRegistry}) and by a cluster's coordinator, served by {@code sluice-web}. Plain
 * records and interfaces: this package uses no other package of the runtime.
 */
package io.sluice.runtime.monitor;
