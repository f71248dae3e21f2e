package io.sluice.runtime.state.snapshot;

import io.sluice.api.types.SerializerIdentity;
import io.sluice.runtime.state.StateOwner;
import java.util.List;

/**
 * The restore rule for serializers: a restored state (or timer service) is used only if every serializer the job
 * declares for it now has the identity recorded with it ({@link SerializerIdentity}: same id, same version);
 * otherwise the operator's registration of the state fails, naming the state, the operator subtask and both
 * serializers, before a single entry is read. State restored from a snapshot that recorded no serializers (older
 * than the canonical format) is not checked: there is nothing to compare.
 */
public final class SerializerCheck {
    private SerializerCheck() {}

    /**
     * Fails unless {@code declared}'s serializers match {@code restored}'s.
     *
     * @throws IllegalStateException naming what differs (the state's kind or namespacing is checked by the backends)
     */
    public static void requireMatch(StateOwner owner, SectionHeader restored, SectionHeader declared) {
        if (!restored.serializersKnown() || !declared.serializersKnown()) {
            return;
        }
        List<SerializerIdentity> was = restored.serializers();
        List<SerializerIdentity> now = declared.serializers();
        List<String> roles = declared.roles();
        if (was.size() != now.size()) {
            throw new IllegalStateException(owner + ": cannot restore " + declared.describe() + ": the snapshot recorded "
                    + was.size() + " serializers " + was + " for it, the job declares " + now.size() + " " + now);
        }
        for (int i = 0; i < now.size(); i++) {
            if (!was.get(i).equals(now.get(i))) {
                throw new IllegalStateException(owner + ": cannot restore " + declared.describe() + ": its " + roles.get(i)
                        + " were written by serializer " + describe(was.get(i)) + ", the job now declares serializer "
                        + describe(now.get(i)) + " for them. Reading the bytes with it would misread them: keep the "
                        + "old type, or give the state another name (it then starts empty).");
            }
        }
    }

    private static String describe(SerializerIdentity identity) {
        return "'" + identity.id() + "' (version " + identity.version() + ")";
    }
}
