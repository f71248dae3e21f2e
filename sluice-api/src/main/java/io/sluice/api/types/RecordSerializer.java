package io.sluice.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serial;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Objects;
import java.util.Optional;

/**
 * A record as its components, in declaration order, each with its own serializer; read back through the
 * canonical constructor (so compact-constructor validation runs on read as well). Created by
 * {@link SerializerFactory}, which decides the component serializers.
 *
 * <p>No reflection per value: a {@link RecordCodec} compiled for the type at first use calls the accessors and the
 * constructor directly and writes primitive components without boxing; where one cannot be compiled, accessors and
 * the constructor are {@link MethodHandle}s looked up once. Both are transient, since neither is serializable, and
 * rebuilt lazily from the record class after the serializer was Java-deserialized on a worker.
 *
 * <p>Equality is by record type: the component serializers are a function of the type, and comparing them
 * would not terminate for recursive records, whose serializer graph is cyclic.
 *
 * <p>A record is {@linkplain #isImmutableType immutable} when every component's type is; the factory decides that
 * once all records it builds are complete (a recursive record cannot know before), see {@link #markImmutable}.
 *
 * <p>Thread-safety: immutable once {@link SerializerFactory} has returned it (the component array is filled, and
 * the immutability marked, right after construction, which is what allows cycles); it reaches task threads through the job graph,
 * which is handed over with a happens-before edge (serialization, or starting the task thread). The lazily
 * built {@link Accessors} has only final fields, so a racy first use on two threads is benign.
 */
final class RecordSerializer<R extends Record> implements TypeSerializer<R> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Class<R> type;
    /** Canonical full name of the type including type arguments: tells instantiations of a generic record apart. */
    private final String typeKey;
    private final String typeName;
    private final TypeSerializer<Object>[] components;
    /** Whether every component's type is immutable; set by the factory before the serializer is handed out. */
    private boolean immutable;

    private transient Accessors accessors;
    /** Built at first use on each JVM (a racy first use builds two: benign); see {@link #codec()}. */
    private transient Compiled compiled;

    /** Looks up the accessors eagerly so that an inaccessible record fails when the job is built. */
    @SuppressWarnings("unchecked")
    RecordSerializer(Class<R> type, String typeKey, String typeName) {
        this.type = Objects.requireNonNull(type, "type");
        this.typeKey = Objects.requireNonNull(typeKey, "typeKey");
        this.typeName = Objects.requireNonNull(typeName, "typeName");
        this.accessors = Accessors.of(type);
        this.components = (TypeSerializer<Object>[]) new TypeSerializer<?>[accessors.getters.length];
    }

    /** Called by the factory, once per component, before the serializer is handed out. */
    @SuppressWarnings("unchecked")
    void initComponent(int index, TypeSerializer<?> serializer) {
        components[index] = (TypeSerializer<Object>) serializer;
    }

    /** Called by the factory, before the serializer is handed out, once the components are known. */
    void markImmutable(boolean immutable) {
        this.immutable = immutable;
    }

    /** Whether every component's serializer says its type is immutable (for a record being built: as marked so far). */
    boolean componentsImmutable() {
        for (TypeSerializer<Object> component : components) {
            if (!component.isImmutableType()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isImmutableType() {
        return immutable;
    }

    /**
     * The sum of the components' fixed lengths if each has one (a record of primitives), else variable. Reference
     * components are nullable (a marker byte, then the value or nothing), so only primitive ones have a fixed length,
     * and a recursive record never asks itself. The bytes are the same with or without the compiled codec.
     */
    @Override
    public int fixedLength() {
        int length = 0;
        for (TypeSerializer<Object> component : components) {
            int l = component.fixedLength();
            if (l < 0) {
                return VARIABLE_LENGTH;
            }
            length += l;
        }
        return length;
    }

    /** The record itself if its type is immutable, else a new one of the components' copies (canonical constructor). */
    @Override
    @SuppressWarnings("unchecked")
    public R copy(R value) {
        if (immutable) {
            return value;
        }
        MethodHandle[] getters = accessors().getters;
        TypeSerializer<Object>[] serializers = components;
        Object[] arguments = new Object[getters.length];
        try {
            for (int i = 0; i < getters.length; i++) {
                arguments[i] = serializers[i].copy((Object) getters[i].invokeExact((Object) value));
            }
            return (R) (Object) accessors().constructor.invokeExact(arguments);
        } catch (Throwable t) {
            throw propagateUnchecked(t);
        }
    }

    @Override
    public void serialize(R value, DataOutput out) throws IOException {
        RecordCodec codec = codec();
        if (codec != null) {
            codec.write(value, out, components);
            return;
        }
        MethodHandle[] getters = accessors().getters;
        TypeSerializer<Object>[] serializers = components;
        for (int i = 0; i < getters.length; i++) {
            Object component;
            try {
                component = (Object) getters[i].invokeExact((Object) value);
            } catch (Throwable t) {
                throw propagate(t);
            }
            serializers[i].serialize(component, out);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R deserialize(DataInput in) throws IOException {
        RecordCodec codec = codec();
        if (codec != null) {
            return (R) codec.read(in, components);
        }
        TypeSerializer<Object>[] serializers = components;
        Object[] arguments = new Object[serializers.length];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = serializers[i].deserialize(in);
        }
        Object record;
        try {
            // The cast to Object makes the call site's type exactly the handle's (Object[])Object.
            record = (Object) accessors().constructor.invokeExact(arguments);
        } catch (Throwable t) {
            throw propagate(t);
        }
        return (R) record;
    }

    /**
     * The compiled codec of this record type, or {@code null} where it cannot be compiled (a package a named module does
     * not open to Sluice, a primitive component with a serializer other than the built-in one): then the method
     * handles serve. The bytes are the same either way. Package-private for tests.
     */
    RecordCodec codec() {
        Compiled c = compiled;
        if (c == null) {
            c = new Compiled(compile());
            compiled = c;
        }
        return c.codec();
    }

    private RecordCodec compile() {
        RecordComponent[] recordComponents = type.getRecordComponents();
        for (int i = 0; i < recordComponents.length; i++) {
            Class<?> t = recordComponents[i].getType();
            if (t.isPrimitive() && components[i] != PrimitiveSerializers.forClass(t)) {
                return null;
            }
        }
        return CODECS.get(type).orElse(null);
    }

    /**
     * Each record class's compiled codec, once per JVM and class (a codec depends on the class alone: it is handed the
     * component serializers on each call). So the serializers of every task and job of one record class share one
     * hidden class: the engine's calls into it stay monomorphic, and the code the JIT compiled for one job stays valid
     * for the next. Kept with the class itself, so it goes with the job's class loader. Empty where the record cannot
     * be compiled here (a closed package, a class loader that sees another copy of Sluice's API): the handles write
     * the same bytes, only slower; RecordCodecTest makes sure ordinary records do compile.
     */
    private static final ClassValue<Optional<RecordCodec>> CODECS = new ClassValue<>() {
        @Override
        @SuppressWarnings("unchecked")
        protected Optional<RecordCodec> computeValue(Class<?> type) {
            try {
                return Optional.of(RecordCodecs.compile((Class<? extends Record>) type));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return Optional.empty();
            }
        }
    };

    /** The record class whose values this serializes. */
    Class<R> recordType() {
        return type;
    }

    /** Whether values go through a compiled codec on this JVM (tests). */
    boolean usesCompiledCodec() {
        return codec() != null;
    }

    /** A compiled codec, or none; final so that a thread seeing the holder sees the codec. */
    private record Compiled(RecordCodec codec) {}

    private Accessors accessors() {
        Accessors a = accessors;
        if (a == null) {
            a = Accessors.of(type);
            accessors = a;
        }
        return a;
    }

    /** Accessors and constructors are user code: pass on what they throw, wrapping only checked exceptions. */
    private static RuntimeException propagate(Throwable t) throws IOException {
        if (t instanceof IOException e) {
            throw e;
        }
        return propagateUnchecked(t);
    }

    /** {@link #propagate} where no {@code IOException} is expected: one is wrapped like other checked exceptions. */
    private static RuntimeException propagateUnchecked(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new UndeclaredThrowableException(t);
    }

    @Override
    public String typeName() {
        return typeName;
    }

    /** The record's type with its type arguments, and its components' identities in order (not their names). */
    @Override
    public SerializerIdentity identity() {
        return SerializerIdentities.record(this, typeKey, components);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordSerializer<?> other && type == other.type && typeKey.equals(other.typeKey);
    }

    @Override
    public int hashCode() {
        return typeKey.hashCode();
    }

    @Override
    public String toString() {
        return "record(" + typeKey + ")";
    }

    /** The method handles of one record type, erased to {@code Object} so that {@code invokeExact} applies. */
    private static final class Accessors {
        private static final MethodType GETTER_TYPE = MethodType.methodType(Object.class, Object.class);

        /** Each {@code (Object record) -> Object component}, boxing primitives. */
        final MethodHandle[] getters;
        /** {@code (Object[] components) -> Object record}, unboxing primitives. */
        final MethodHandle constructor;

        private Accessors(MethodHandle[] getters, MethodHandle constructor) {
            this.getters = getters;
            this.constructor = constructor;
        }

        static Accessors of(Class<?> type) {
            RecordComponent[] recordComponents = type.getRecordComponents();
            MethodHandle[] getters = new MethodHandle[recordComponents.length];
            Class<?>[] parameterTypes = new Class<?>[recordComponents.length];
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            try {
                for (int i = 0; i < recordComponents.length; i++) {
                    Method accessor = recordComponents[i].getAccessor();
                    // The record class itself may be private or package-private (accessors are always public).
                    accessor.setAccessible(true);
                    getters[i] = lookup.unreflect(accessor).asType(GETTER_TYPE);
                    parameterTypes[i] = recordComponents[i].getType();
                }
                Constructor<?> canonical = type.getDeclaredConstructor(parameterTypes);
                canonical.setAccessible(true);
                MethodHandle constructor = lookup.unreflectConstructor(canonical);
                constructor = constructor.asType(constructor.type().generic())
                        .asSpreader(Object[].class, recordComponents.length);
                return new Accessors(getters, constructor);
            } catch (InaccessibleObjectException | IllegalAccessException | SecurityException e) {
                String pkg = type.getPackageName();
                throw new UnsupportedTypeException("Cannot access record " + type.getName() + ": " + e.getMessage()
                        + ". Fix: open package " + pkg + " to Sluice (in module-info.java: opens " + pkg
                        + "), or make the record public in an exported package.");
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("Record " + type.getName() + " has no canonical constructor", e);
            }
        }
    }
}
