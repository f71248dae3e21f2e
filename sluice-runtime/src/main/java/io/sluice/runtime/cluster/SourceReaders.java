package io.sluice.runtime.cluster;

import io.sluice.runtime.source.ReaderGateway;
import io.sluice.runtime.source.SplitRequests;

/**
 * How the source readers a process hosts reach their split enumerators, which run in the coordinator: in this JVM
 * directly, on a worker over its control stream. Called while tasks are built, on the deploying thread.
 */
public interface SourceReaders {

    /** Where readers of source {@code uid} register and ask for splits. */
    SplitRequests requests(String uid);

    /** How the enumerator of source {@code uid} reaches reader {@code subtask} (split assignments, no more splits). */
    void connect(String uid, int subtask, ReaderGateway gateway);
}
