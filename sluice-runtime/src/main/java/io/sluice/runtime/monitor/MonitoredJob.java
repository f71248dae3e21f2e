package io.sluice.runtime.monitor;

/** A job as the embedded cluster registers it: its view and its control, one object. Thread-safe. */
public interface MonitoredJob extends JobView, JobControl {}
