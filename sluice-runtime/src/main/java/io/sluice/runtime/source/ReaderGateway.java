package io.sluice.runtime.source;

/**
 * How a source coordinator reaches one reader's task: in this JVM, its mailbox; later, a connection to the worker
 * that runs it. Whatever carries the events must also carry the task's checkpoint triggers, in one order. Called on
 * the source coordinator thread only.
 */
@FunctionalInterface
public interface ReaderGateway {

    /**
     * Hands {@code event} to the reader's task, after everything handed before; {@code false} if it has no room now
     * (the coordinator keeps the event and offers it again later, in order).
     */
    boolean tryDeliver(ReaderEvent event);
}
