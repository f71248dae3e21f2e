package io.sluice.api.types;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;
import static java.lang.constant.ConstantDescs.INIT_NAME;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.RecordComponent;
import java.util.Optional;

/**
 * Finds or compiles the {@link FlatCodec} of a serializer's values: fixed codecs for the boxed primitives, and for a
 * record of primitive components one compiled with the class-file API as a hidden class in the record's nest
 * ({@link NestmateClasses}), so that storing and loading call the accessors and the canonical constructor directly.
 */
final class FlatCodecs {
    private static final ClassDesc CD_LONGS = CD_long.arrayType();
    private static final ClassDesc CD_DOUBLE = ClassDesc.of(Double.class.getName());
    private static final ClassDesc CD_FLOAT = ClassDesc.of(Float.class.getName());

    private FlatCodecs() {}

    static FlatCodec of(TypeSerializer<?> serializer) {
        if (serializer instanceof PrimitiveSerializers.LongSerializer) {
            return Boxes.LONG;
        } else if (serializer instanceof PrimitiveSerializers.IntSerializer) {
            return Boxes.INT;
        } else if (serializer instanceof PrimitiveSerializers.DoubleSerializer) {
            return Boxes.DOUBLE;
        } else if (serializer instanceof RecordSerializer<?> records) {
            return COMPILED.get(records.recordType()).orElse(null);
        }
        return null;
    }

    /** The boxes state most often holds (counts, sums); the other boxes are rare enough to stay objects. */
    private enum Boxes implements FlatCodec {
        LONG {
            @Override
            public void store(Object value, long[] to, int at) {
                to[at] = (Long) value;
            }

            @Override
            public Object load(long[] from, int at) {
                return from[at];
            }
        },
        INT {
            @Override
            public void store(Object value, long[] to, int at) {
                to[at] = (Integer) value;
            }

            @Override
            public Object load(long[] from, int at) {
                return (int) from[at];
            }
        },
        DOUBLE {
            @Override
            public void store(Object value, long[] to, int at) {
                to[at] = Double.doubleToRawLongBits((Double) value);
            }

            @Override
            public Object load(long[] from, int at) {
                return Double.longBitsToDouble(from[at]);
            }
        };

        @Override
        public int width() {
            return 1;
        }
    }

    /**
     * Each record class's codec, compiled once per JVM and class: every state of every task and job of that class
     * shares one hidden class, so the engine's calls into it stay monomorphic and the code compiled for one job stays
     * valid for the next (a codec per state made each job's codecs new classes, and the JIT compiled the engine's
     * paths through them again). Kept with the class itself, so a job's classes and their codecs go together when its
     * class loader is unloaded.
     */
    private static final ClassValue<Optional<FlatCodec>> COMPILED = new ClassValue<>() {
        @Override
        @SuppressWarnings("unchecked")
        protected Optional<FlatCodec> computeValue(Class<?> type) {
            return Optional.ofNullable(compiled((Class<? extends Record>) type));
        }
    };

    /** A record's compiled codec, or {@code null} if a component is not primitive or the record is not accessible. */
    private static FlatCodec compiled(Class<? extends Record> type) {
        RecordComponent[] components = type.getRecordComponents();
        for (RecordComponent c : components) {
            if (!c.getType().isPrimitive()) {
                return null;
            }
        }
        try {
            return compile(type, components);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // kept as objects, as any other value
        }
    }

    private static FlatCodec compile(Class<? extends Record> type, RecordComponent[] components)
            throws ReflectiveOperationException {
        ClassDesc record = RecordCodecs.desc(type);
        return NestmateClasses.instantiate(type, "SluiceFlatCodec", FlatCodec.class, cls -> {
            cls.withMethodBody("width", MethodTypeDesc.of(CD_int), ClassFile.ACC_PUBLIC,
                    code -> code.loadConstant(components.length).ireturn());
            cls.withMethodBody("store", MethodTypeDesc.of(CD_void, CD_Object, CD_LONGS, CD_int),
                    ClassFile.ACC_PUBLIC, code -> store(code, record, components));
            cls.withMethodBody("load", MethodTypeDesc.of(CD_Object, CD_LONGS, CD_int),
                    ClassFile.ACC_PUBLIC, code -> load(code, record, components));
        });
    }

    /** {@code store(Object value, long[] to, int at)}: locals 1, 2, 3; the record in 4. Component i goes to at + i. */
    private static void store(CodeBuilder code, ClassDesc record, RecordComponent[] components) {
        code.aload(1).checkcast(record).astore(4);
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            code.aload(2).iload(3).loadConstant(i).iadd();
            code.aload(4).invokevirtual(record, components[i].getAccessor().getName(), MethodTypeDesc.of(RecordCodecs.desc(t)));
            if (t == double.class) {
                code.invokestatic(CD_DOUBLE, "doubleToRawLongBits", MethodTypeDesc.of(CD_long, CD_double));
            } else if (t == float.class) {
                code.invokestatic(CD_FLOAT, "floatToRawIntBits", MethodTypeDesc.of(CD_int, CD_float)).i2l();
            } else if (t != long.class) {
                code.i2l(); // int, short, byte, char, boolean: all ints on the stack
            }
            code.lastore();
        }
        code.return_();
    }

    /** {@code load(long[] from, int at)}: locals 1, 2; the canonical constructor at the end. */
    private static void load(CodeBuilder code, ClassDesc record, RecordComponent[] components) {
        ClassDesc[] parameters = new ClassDesc[components.length];
        code.new_(record).dup();
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            parameters[i] = RecordCodecs.desc(t);
            code.aload(1).iload(2).loadConstant(i).iadd().laload();
            if (t == double.class) {
                code.invokestatic(CD_DOUBLE, "longBitsToDouble", MethodTypeDesc.of(CD_double, CD_long));
            } else if (t == float.class) {
                code.l2i().invokestatic(CD_FLOAT, "intBitsToFloat", MethodTypeDesc.of(CD_float, CD_int));
            } else if (t == short.class) {
                code.l2i().i2s();
            } else if (t == byte.class) {
                code.l2i().i2b();
            } else if (t == char.class) {
                code.l2i().i2c();
            } else if (t != long.class) {
                code.l2i(); // int; a boolean was stored as 0 or 1
            }
        }
        code.invokespecial(record, INIT_NAME, MethodTypeDesc.of(CD_void, parameters)).areturn();
    }
}
