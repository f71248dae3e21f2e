package io.sluice.api.types;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_byte;
import static java.lang.constant.ConstantDescs.CD_char;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_short;
import static java.lang.constant.ConstantDescs.CD_void;
import static java.lang.constant.ConstantDescs.INIT_NAME;

import java.io.DataInput;
import java.io.DataOutput;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/**
 * Compiles a {@link RecordCodec} for one record type with the JDK's class-file API, as a hidden class in the record's
 * own package and nest ({@link NestmateClasses}). The bytes it writes are exactly those of the record's component
 * serializers: a primitive component as its built-in serializer writes it ({@code writeLong}, {@code writeInt}, a
 * double's raw bits, ...), a reference component through its serializer.
 */
final class RecordCodecs {
    private static final ClassDesc CD_OUT = ClassDesc.of(DataOutput.class.getName());
    private static final ClassDesc CD_IN = ClassDesc.of(DataInput.class.getName());
    private static final ClassDesc CD_SERIALIZER = ClassDesc.of(TypeSerializer.class.getName());
    private static final ClassDesc CD_SERIALIZERS = CD_SERIALIZER.arrayType();
    private static final ClassDesc CD_DOUBLE = ClassDesc.of(Double.class.getName());
    private static final ClassDesc CD_FLOAT = ClassDesc.of(Float.class.getName());

    /** How a primitive is written and read: the {@code DataOutput}/{@code DataInput} methods and their types. */
    private record Primitive(String write, ClassDesc written, String read, ClassDesc readType) {}

    private static final Map<Class<?>, Primitive> PRIMITIVES = Map.of(
            long.class, new Primitive("writeLong", CD_long, "readLong", CD_long),
            int.class, new Primitive("writeInt", CD_int, "readInt", CD_int),
            short.class, new Primitive("writeShort", CD_int, "readShort", CD_short),
            byte.class, new Primitive("writeByte", CD_int, "readByte", CD_byte),
            char.class, new Primitive("writeChar", CD_int, "readChar", CD_char),
            boolean.class, new Primitive("writeBoolean", CD_boolean, "readBoolean", CD_boolean),
            // written as their raw bits, as the built-in double and float serializers do
            double.class, new Primitive("writeLong", CD_long, "readLong", CD_long),
            float.class, new Primitive("writeInt", CD_int, "readInt", CD_int));

    private RecordCodecs() {}

    /**
     * A codec for {@code type}, whose primitive components use the built-in primitive serializers.
     *
     * @throws IllegalAccessException if the record's package is not open to Sluice (a named module that does not open
     *                                it): the caller then keeps using method handles
     */
    static RecordCodec compile(Class<? extends Record> type) throws ReflectiveOperationException {
        ClassDesc record = type.describeConstable().orElseThrow(
                () -> new IllegalAccessException("record " + type.getName() + " has no nominal descriptor"));
        RecordComponent[] components = type.getRecordComponents();
        return NestmateClasses.instantiate(type, "SluiceRecordCodec", RecordCodec.class, cls -> {
            cls.withMethodBody("write", MethodTypeDesc.of(CD_void, CD_Object, CD_OUT, CD_SERIALIZERS),
                    ClassFile.ACC_PUBLIC, code -> write(code, record, components));
            cls.withMethodBody("read", MethodTypeDesc.of(CD_Object, CD_IN, CD_SERIALIZERS),
                    ClassFile.ACC_PUBLIC, code -> read(code, record, components));
        });
    }

    /** {@code write(Object record, DataOutput out, TypeSerializer[] components)}: locals 1, 2, 3; the record in 4. */
    private static void write(CodeBuilder code, ClassDesc record, RecordComponent[] components) {
        code.aload(1).checkcast(record).astore(4);
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            ClassDesc type = desc(c.getType());
            Primitive p = PRIMITIVES.get(c.getType());
            if (p != null) {
                code.aload(2).aload(4).invokevirtual(record, c.getAccessor().getName(), MethodTypeDesc.of(type));
                if (c.getType() == double.class) {
                    code.invokestatic(CD_DOUBLE, "doubleToRawLongBits", MethodTypeDesc.of(CD_long, CD_double));
                } else if (c.getType() == float.class) {
                    code.invokestatic(CD_FLOAT, "floatToRawIntBits", MethodTypeDesc.of(CD_int, CD_float));
                }
                code.invokeinterface(CD_OUT, p.write(), MethodTypeDesc.of(CD_void, p.written()));
            } else {
                code.aload(3).loadConstant(i).aaload();
                code.aload(4).invokevirtual(record, c.getAccessor().getName(), MethodTypeDesc.of(type));
                code.aload(2).invokeinterface(CD_SERIALIZER, "serialize", MethodTypeDesc.of(CD_void, CD_Object, CD_OUT));
            }
        }
        code.return_();
    }

    /** {@code read(DataInput in, TypeSerializer[] components)}: locals 1, 2; the canonical constructor at the end. */
    private static void read(CodeBuilder code, ClassDesc record, RecordComponent[] components) {
        ClassDesc[] parameters = new ClassDesc[components.length];
        code.new_(record).dup();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            parameters[i] = desc(c.getType());
            Primitive p = PRIMITIVES.get(c.getType());
            if (p != null) {
                code.aload(1).invokeinterface(CD_IN, p.read(), MethodTypeDesc.of(p.readType()));
                if (c.getType() == double.class) {
                    code.invokestatic(CD_DOUBLE, "longBitsToDouble", MethodTypeDesc.of(CD_double, CD_long));
                } else if (c.getType() == float.class) {
                    code.invokestatic(CD_FLOAT, "intBitsToFloat", MethodTypeDesc.of(CD_float, CD_int));
                }
            } else {
                code.aload(2).loadConstant(i).aaload().aload(1)
                        .invokeinterface(CD_SERIALIZER, "deserialize", MethodTypeDesc.of(CD_Object, CD_IN))
                        .checkcast(parameters[i]);
            }
        }
        code.invokespecial(record, INIT_NAME, MethodTypeDesc.of(CD_void, parameters)).areturn();
    }

    /** The nominal descriptor of a component's or record's type. */
    static ClassDesc desc(Class<?> type) {
        return type.describeConstable().orElseThrow(
                () -> new IllegalArgumentException("a record component of type " + type.getName()
                        + " has no nominal descriptor"));
    }
}
