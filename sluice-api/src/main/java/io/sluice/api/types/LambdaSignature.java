package io.sluice.api.types;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.MalformedParameterizedTypeException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The types of a serializable lambda or method reference, recovered from its {@link SerializedLambda}: the
 * implementation method's generic signature, refined by the erased signature the lambda was instantiated with.
 * Supports {@link TypeInference}. Immutable.
 *
 * <p>The implementation method's parameters are the captured arguments (including a bound receiver or
 * {@code this}) followed by the functional parameters; for an unbound instance method reference such as
 * {@code String::length} the receiver is the first functional parameter.
 */
final class LambdaSignature {

    /** The implementation method's declared types, receiver first for instance methods. */
    private final List<Type> implementationParameters;
    private final Type implementationReturn;
    private final int capturedCount;
    /** The erased functional signature as instantiated at the lambda's creation site, e.g. {@code (String)Word}. */
    private final MethodType instantiated;

    private LambdaSignature(List<Type> implementationParameters, Type implementationReturn, int capturedCount,
            MethodType instantiated) {
        this.implementationParameters = implementationParameters;
        this.implementationReturn = implementationReturn;
        this.capturedCount = capturedCount;
        this.instantiated = instantiated;
    }

    /** The signature of {@code function} if it is a serializable lambda or method reference, else empty. */
    static Optional<LambdaSignature> of(Object function) {
        SerializedLambda lambda = serializedLambda(function);
        if (lambda == null) {
            return Optional.empty();
        }
        // The user's class loader: the impl class and the instantiated types may be invisible to ours.
        ClassLoader loader = function.getClass().getClassLoader();
        try {
            Class<?> implClass = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
            MethodType instantiated = MethodType.fromMethodDescriptorString(lambda.getInstantiatedMethodType(), loader);
            Executable impl = findImplementation(implClass, lambda.getImplMethodName(),
                    lambda.getImplMethodSignature());
            if (impl == null) {
                return Optional.empty();
            }
            List<Type> parameters = new ArrayList<>();
            int kind = lambda.getImplMethodKind();
            if (kind == MethodHandleInfo.REF_invokeVirtual || kind == MethodHandleInfo.REF_invokeInterface
                    || kind == MethodHandleInfo.REF_invokeSpecial) {
                parameters.add(implClass); // the receiver
            }
            Type[] generic = impl.getGenericParameterTypes();
            // Generic and erased parameter lists can differ in length (e.g. synthetic outer-instance parameters).
            parameters.addAll(Arrays.asList(generic.length == impl.getParameterCount()
                    ? generic : impl.getParameterTypes()));
            Type returnType = impl instanceof Method method ? method.getGenericReturnType() : implClass;
            return Optional.of(new LambdaSignature(List.copyOf(parameters), returnType,
                    lambda.getCapturedArgCount(), instantiated));
        } catch (ClassNotFoundException | TypeNotPresentException | MalformedParameterizedTypeException
                 | IllegalArgumentException | LinkageError | SecurityException e) {
            return Optional.empty(); // unknown rather than a failure: the caller asks the user to declare the type
        }
    }

    /** The return type, boxed; empty if void, Object or only a type variable is known. */
    Optional<Type> returnType() {
        return refine(implementationReturn, instantiated.returnType());
    }

    /** The type of functional parameter {@code index}, boxed; empty if unknown or out of range. */
    Optional<Type> parameterType(int index) {
        int implIndex = capturedCount + index;
        if (index < 0 || index >= instantiated.parameterCount() || implIndex >= implementationParameters.size()) {
            return Optional.empty();
        }
        return refine(implementationParameters.get(implIndex), instantiated.parameterType(index));
    }

    /**
     * Picks the more informative of the declared generic type and the instantiated erased class: a
     * parameterized type such as {@code List<String>} beats its erasure, but a more specific instantiated class
     * beats a general declared one (a lambda whose body returns {@code Object}, used as a {@code Word}), and
     * beats a type variable (a generic method reference such as {@code List::of} gives the raw {@code List}).
     */
    private static Optional<Type> refine(Type declared, Class<?> instantiatedClass) {
        Type type = declared instanceof Class<?> c ? GenericTypes.box(c) : declared;
        Class<?> instantiatedBox = GenericTypes.box(instantiatedClass);
        if (GenericTypes.containsTypeVariable(type)) {
            type = instantiatedBox;
        } else if (type instanceof Class<?> c && c != instantiatedBox && c.isAssignableFrom(instantiatedBox)) {
            type = instantiatedBox;
        }
        if (type == Object.class || type == Void.class) {
            return Optional.empty();
        }
        return Optional.of(type);
    }

    /**
     * The {@code writeReplace} result of a lambda class, or null. Only synthetic classes are asked: calling a
     * user class's own {@code writeReplace} could have side effects.
     */
    private static SerializedLambda serializedLambda(Object function) {
        Class<?> type = function.getClass();
        if (!type.isSynthetic()) {
            return null;
        }
        try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(function) instanceof SerializedLambda lambda ? lambda : null;
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException
                 | InaccessibleObjectException | SecurityException e) {
            return null; // not serializable, or in a module that does not open its package
        }
    }

    /**
     * The method or constructor named {@code name} with JVM descriptor {@code descriptor}, declared by
     * {@code type} or one of its supertypes (a method reference may name an inherited method through a subclass).
     */
    private static Executable findImplementation(Class<?> type, String name, String descriptor) {
        if (name.equals("<init>")) {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (descriptor(constructor.getParameterTypes(), void.class).equals(descriptor)) {
                    return constructor;
                }
            }
            return null;
        }
        Deque<Class<?>> pending = new ArrayDeque<>(List.of(type));
        Set<Class<?>> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Class<?> current = pending.poll();
            if (!seen.add(current)) {
                continue;
            }
            for (Method method : current.getDeclaredMethods()) {
                if (method.getName().equals(name)
                        && descriptor(method.getParameterTypes(), method.getReturnType()).equals(descriptor)) {
                    return method;
                }
            }
            if (current.getSuperclass() != null) {
                pending.add(current.getSuperclass());
            }
            pending.addAll(Arrays.asList(current.getInterfaces()));
        }
        return null;
    }

    private static String descriptor(Class<?>[] parameterTypes, Class<?> returnType) {
        return MethodType.methodType(returnType, parameterTypes).toMethodDescriptorString();
    }
}
