package io.sluice.api;

import io.sluice.api.state.MapStateDescriptor;
import java.util.List;

/** A stream every subtask of the connected operator receives whole; see {@link DataStream#broadcast}. */
public final class BroadcastStream<T> {
    final StreamEnvironment env;
    final List<Upstream> upstreams;
    final List<MapStateDescriptor<?, ?>> stateDescriptors;

    BroadcastStream(StreamEnvironment env, List<Upstream> upstreams, List<MapStateDescriptor<?, ?>> stateDescriptors) {
        this.env = env;
        this.upstreams = upstreams;
        this.stateDescriptors = List.copyOf(stateDescriptors);
    }

    /** The broadcast states the receiving function is expected to use. */
    public List<MapStateDescriptor<?, ?>> stateDescriptors() {
        return stateDescriptors;
    }
}
