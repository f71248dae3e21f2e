package io.sluice.api;

import io.sluice.api.types.TypeInference;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.api.types.UnsupportedTypeException;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * Finds the serializer of a function's output when the job is defined. The outcome is a serializer or a
 * reason why none was found; the reason becomes a build-time error unless the user calls {@code returns(...)}.
 */
record OutputTypes<T>(TypeSerializer<T> serializer, String problem) {

    /**
     * @param typeArgument  index of the output type among {@code functionInterface}'s type parameters
     * @param fromLambdaReturn whether a lambda's return type is the output type (false when output goes to a Collector)
     */
    static <T> OutputTypes<T> of(Object function, Class<?> functionInterface, int typeArgument, boolean fromLambdaReturn) {
        Optional<Type> type = TypeInference.typeArgument(function, functionInterface, typeArgument);
        if (type.isEmpty() && fromLambdaReturn) {
            type = TypeInference.lambdaReturnType(function);
        }
        if (type.isEmpty()) {
            return new OutputTypes<>(null, fromLambdaReturn
                    ? "Java erases the generic types of a lambda's result"
                    : "a lambda's Collector<T> parameter does not say its T");
        }
        try {
            @SuppressWarnings("unchecked")
            TypeSerializer<T> serializer = (TypeSerializer<T>) Types.of(type.get());
            return new OutputTypes<>(serializer, null);
        } catch (UnsupportedTypeException e) {
            return new OutputTypes<>(null, e.getMessage());
        }
    }

    static <T> OutputTypes<T> given(TypeSerializer<T> serializer) {
        if (serializer == null) {
            throw new NullPointerException("type");
        }
        return new OutputTypes<>(serializer, null);
    }
}
