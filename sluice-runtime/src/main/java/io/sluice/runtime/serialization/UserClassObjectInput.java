package io.sluice.runtime.serialization;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * Java deserialization of objects the runtime itself wrote (user functions it ships to subtasks, source splits and
 * transaction handles in checkpoints), resolving classes through the user code's class loader first. Never used on
 * bytes a client or an unauthenticated peer sent: on a cluster, only a job graph and splits that the coordinator
 * serialized reach a worker, over its authenticated control connection (and blob store).
 */
public final class UserClassObjectInput {
    private UserClassObjectInput() {}

    /** Reads one object from {@code bytes}, loading its classes from {@code loader} where it has them. */
    public static Object read(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            return in.readObject();
        }
    }
}
