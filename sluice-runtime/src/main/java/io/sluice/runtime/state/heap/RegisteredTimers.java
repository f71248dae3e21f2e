package io.sluice.runtime.state.heap;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.snapshot.TimersHeader;
import io.sluice.runtime.timer.TimerQueues;

/**
 * A timer service's queues with the serializer of its namespaces ({@code null}: the void namespace) and its canonical
 * header (what snapshots record and restores check).
 */
record RegisteredTimers(String name, TypeSerializer<Object> namespaceSerializer, TimerQueues queues, TimersHeader header) {}
