package io.sluice.runtime.state.heap;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.timer.TimerQueues;

/** A timer service's queues with the serializer of its namespaces ({@code null}: the void namespace). */
record RegisteredTimers(String name, TypeSerializer<Object> namespaceSerializer, TimerQueues queues) {}
