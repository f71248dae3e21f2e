package io.sluice.api.types;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Determines the types a user function consumes and produces, when the job is built, so that streams get a
 * serializer without the user declaring one.
 *
 * <p>Two paths, for the two ways a function is written:
 * <ul>
 *   <li>{@link #typeArgument}: a named or anonymous class; the type arguments it gives the function interface
 *       are in its generic signature, possibly through generic superclasses and superinterfaces.
 *   <li>{@link #lambdaReturnType} and {@link #lambdaParameterType}: a lambda or method reference. Its class
 *       implements the raw interface, but user function interfaces are {@link java.io.Serializable}, so the
 *       lambda describes itself as a {@link java.lang.invoke.SerializedLambda} naming its implementation
 *       method, whose generic signature is read. A method reference ({@code String::length},
 *       {@code Word::text}) gives the real, possibly parameterized type; a lambda body ({@code s -> ...})
 *       compiles to a synthetic method with only an erased signature, so a lambda returning
 *       {@code List<String>} gives the <em>raw</em> {@code List.class}, which {@link Types#of(Type)} then
 *       rejects with a message telling the user to declare the type.
 * </ul>
 * Primitive types are boxed. The result is empty when the type is unknown: a type variable remains, the
 * function is neither kind, or the type is {@code void} or (for lambdas, where it means "erased")
 * {@code Object}. The caller then asks the user for {@code .returns(...)}.
 *
 * <p>Stateless and thread-safe. Nothing is cached: this runs once per operator when a job is built.
 */
public final class TypeInference {

    private TypeInference() {}

    /**
     * The actual type argument number {@code index} that {@code function}'s class gives the generic type
     * {@code functionInterface} (an interface or a superclass), with type variables resolved through the class
     * hierarchy. For example, for {@code new MapFunction<String, Integer>() {...}} and index 1,
     * {@code Integer.class}. Empty for lambdas (see {@link #lambdaReturnType}), for raw implementations and
     * when a type variable remains (e.g. {@code class Identity<T> implements MapFunction<T, T>}).
     *
     * @throws IllegalArgumentException if {@code functionInterface} has no type parameter number {@code index}
     */
    public static Optional<Type> typeArgument(Object function, Class<?> functionInterface, int index) {
        Objects.requireNonNull(function, "function");
        TypeVariable<?>[] parameters = functionInterface.getTypeParameters();
        if (index < 0 || index >= parameters.length) {
            throw new IllegalArgumentException(functionInterface.getName() + " has " + parameters.length
                    + " type parameters; no index " + index);
        }
        if (!functionInterface.isInstance(function)) {
            return Optional.empty();
        }
        Type[] arguments = typeArguments(function.getClass(), functionInterface, Map.of());
        if (arguments == null) {
            return Optional.empty();
        }
        Type argument = arguments[index];
        if (GenericTypes.containsTypeVariable(argument)) {
            return Optional.empty();
        }
        return Optional.of(argument instanceof Class<?> c ? GenericTypes.box(c) : argument);
    }

    /**
     * The return type of a serializable lambda or method reference, e.g. {@code Integer} for
     * {@code String::length}, {@code Word} for {@code s -> new Word(s, 1)}, the raw {@code List} for
     * {@code s -> List.of(s)}. Empty if {@code function} is not a serializable lambda, returns void, or the
     * type is unknown ({@code Object} or a type variable).
     */
    public static Optional<Type> lambdaReturnType(Object function) {
        Objects.requireNonNull(function, "function");
        return LambdaSignature.of(function).flatMap(LambdaSignature::returnType);
    }

    /**
     * The type of parameter {@code paramIndex} (0 = first) of the functional method a serializable lambda or
     * method reference implements, e.g. {@code String} for parameter 0 of {@code String::length}. Captured
     * variables are not counted. Empty if unknown, as for {@link #lambdaReturnType}.
     */
    public static Optional<Type> lambdaParameterType(Object function, int paramIndex) {
        Objects.requireNonNull(function, "function");
        return LambdaSignature.of(function).flatMap(signature -> signature.parameterType(paramIndex));
    }

    /**
     * Searches {@code type}'s supertypes depth-first for {@code target} and returns its type arguments resolved
     * with the bindings collected on the way; null if not found or implemented raw.
     *
     * @param bindings the type variables of the subtype that {@code type} was reached from
     */
    private static Type[] typeArguments(Type type, Class<?> target, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> ownBindings;
        if (type instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = GenericTypes.resolve(arguments[i], bindings);
            }
            if (raw == target) {
                return arguments;
            }
            ownBindings = GenericTypes.bindings(raw, arguments);
        } else if (type instanceof Class<?> c) {
            raw = c;
            ownBindings = Map.of(); // reached raw (or the function's own class): its variables are unbound
        } else {
            return null;
        }
        if (raw == target || !target.isAssignableFrom(raw)) {
            return null;
        }
        Type superclass = raw.getGenericSuperclass();
        if (superclass != null) {
            Type[] found = typeArguments(superclass, target, ownBindings);
            if (found != null) {
                return found;
            }
        }
        for (Type superinterface : raw.getGenericInterfaces()) {
            Type[] found = typeArguments(superinterface, target, ownBindings);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
