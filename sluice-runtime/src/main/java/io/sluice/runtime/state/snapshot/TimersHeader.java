package io.sluice.runtime.state.snapshot;

import io.sluice.api.types.SerializerIdentity;
import io.sluice.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/** A timer service as a canonical section names it: its name, whether its timers are namespaced, its serializers. */
public record TimersHeader(String name, boolean namespaced, List<SerializerIdentity> serializers) implements SectionHeader {

    public TimersHeader {
        java.util.Objects.requireNonNull(name, "name");
        serializers = SectionHeader.checkCount(serializers, roles(namespaced), "timer service '" + name + "'");
    }

    /** The header of timer service {@code service} as a job declares it ({@code namespaceSerializer} may be null). */
    public static TimersHeader declared(String service, TypeSerializer<?> keySerializer, TypeSerializer<?> namespaceSerializer) {
        return new TimersHeader(service, namespaceSerializer != null, namespaceSerializer == null
                ? List.of(keySerializer.identity()) : List.of(keySerializer.identity(), namespaceSerializer.identity()));
    }

    @Override
    public List<String> roles() {
        return roles(namespaced);
    }

    private static List<String> roles(boolean namespaced) {
        return namespaced ? List.of("keys", "namespaces") : List.of("keys");
    }

    @Override
    public String describe() {
        return "timer service '" + name + "'";
    }

    void write(DataOutput out) throws IOException {
        out.writeUTF(name);
        out.writeBoolean(namespaced);
        IdentityCodec.write(serializers, out);
    }

    static TimersHeader read(DataInput in) throws IOException {
        String name = in.readUTF();
        boolean namespaced = in.readBoolean();
        List<SerializerIdentity> serializers = IdentityCodec.read(in);
        try {
            return new TimersHeader(name, namespaced, serializers);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
