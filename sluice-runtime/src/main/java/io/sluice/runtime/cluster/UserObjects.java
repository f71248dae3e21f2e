package io.sluice.runtime.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;

/**
 * Gives each subtask its own copy of a user object (function, source, sink), made the way a worker process will
 * get it: serialized once, deserialized per subtask. Fields of a function are therefore per subtask, and a
 * function that could not be shipped fails at submission with the fix named, not later on a worker.
 */
final class UserObjects {
    private final byte[] bytes;
    private final ClassLoader loader;

    UserObjects(Object object, String operatorName) {
        this.loader = object.getClass().getClassLoader();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(); ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(object);
            oos.flush();
            this.bytes = out.toByteArray();
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("The function of operator '" + operatorName + "' is not serializable: it holds a "
                    + e.getMessage() + ". Fix: make that field transient and create it in open(), or make its class Serializable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("The function of operator '" + operatorName + "' cannot be serialized: " + e, e);
        }
    }

    Object copy() {
        try {
            return io.sluice.runtime.serialization.UserClassObjectInput.read(bytes, loader);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot copy a user function: " + e, e);
        }
    }
}
