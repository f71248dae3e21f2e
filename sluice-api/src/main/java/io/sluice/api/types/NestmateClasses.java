package io.sluice.api.types;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.INIT_NAME;
import static java.lang.constant.ConstantDescs.MTD_void;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;

/**
 * Defines a compiled helper class as a hidden class in a record's own package and nest, so that its code may call a
 * private record's accessors and constructor, and the class is unloaded with the record's class loader.
 */
final class NestmateClasses {

    private NestmateClasses() {}

    /**
     * An instance of a new final class implementing {@code type}, with a public no-argument constructor and the
     * methods {@code methods} adds, defined as a hidden nestmate of {@code host}.
     *
     * @throws IllegalAccessException if {@code host}'s package is not open to Sluice (a named module that does not
     *                                open it)
     */
    static <T> T instantiate(Class<?> host, String simpleName, Class<T> type, Consumer<ClassBuilder> methods)
            throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(host, MethodHandles.lookup());
        String pkg = host.getPackageName();
        ClassDesc self = ClassDesc.of(pkg.isEmpty() ? simpleName : pkg + "." + simpleName);
        byte[] bytes = ClassFile.of().build(self, cls -> {
            cls.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER | ClassFile.ACC_SYNTHETIC);
            cls.withInterfaceSymbols(ClassDesc.of(type.getName()));
            cls.withMethodBody(INIT_NAME, MTD_void, ClassFile.ACC_PUBLIC,
                    code -> code.aload(0).invokespecial(CD_Object, INIT_NAME, MTD_void).return_());
            methods.accept(cls);
        });
        MethodHandles.Lookup defined = lookup.defineHiddenClass(bytes, true, MethodHandles.Lookup.ClassOption.NESTMATE);
        try {
            return type.cast(defined.findConstructor(defined.lookupClass(), MethodType.methodType(void.class)).invoke());
        } catch (ReflectiveOperationException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create the " + simpleName + " of " + host.getName(), t);
        }
    }
}
