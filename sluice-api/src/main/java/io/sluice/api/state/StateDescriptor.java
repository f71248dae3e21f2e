package io.sluice.api.state;

import java.io.Serializable;

/**
 * Names a state, gives its serializers (for snapshots) and options. The name is unique within an operator; the state
 * handle returned for a descriptor has the type {@code S}.
 */
public sealed interface StateDescriptor<S extends State> extends Serializable
        permits ValueStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor,
        AggregatingStateDescriptor {

    String name();

    /** The time to live of entries, or {@code null} for none. */
    StateTtlConfig ttl();
}
