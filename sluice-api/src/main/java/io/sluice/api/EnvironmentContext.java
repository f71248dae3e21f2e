package io.sluice.api;

import java.util.Objects;

/**
 * Hands a launcher's {@link EnvironmentSettings} to the program it runs: while {@link #callWith} runs the program,
 * every {@link StreamEnvironment#create()} in it starts from those settings instead of the defaults. This is how
 * {@code bin/sluice run com.example.MyJob --parallelism 4 ...} reaches a user's {@code main}, which only calls
 * {@code StreamEnvironment.create()}.
 *
 * <p>Scoped, never global: the settings are bound for exactly the duration of {@link #callWith}, on the calling thread
 * (and in threads forked from it with {@code StructuredTaskScope}), and unbound again when it returns or throws.
 * Nothing is left behind for a later program or test in the same JVM, and programs running at once on different
 * threads each see their own. A program that creates its environment on another thread of its own gets the defaults:
 * create it on the thread the launcher called, then pass it on. Built on {@link ScopedValue}.
 */
public final class EnvironmentContext {
    private static final ScopedValue<EnvironmentSettings> SETTINGS = ScopedValue.newInstance();

    private EnvironmentContext() {}

    /**
     * Runs {@code program} with {@code settings} as the starting point of the environments it creates, and returns
     * its result; whatever it throws is thrown on, after the settings are unbound.
     */
    public static <R, X extends Throwable> R callWith(EnvironmentSettings settings,
            ScopedValue.CallableOp<? extends R, X> program) throws X {
        return ScopedValue.where(SETTINGS, Objects.requireNonNull(settings, "settings"))
                .call(Objects.requireNonNull(program, "program"));
    }

    /**
     * The settings of the launcher running the current code, or {@link EnvironmentSettings#defaults()} outside one. A
     * launcher that parses options of its own starts from these, so that an executor it was given is kept.
     */
    public static EnvironmentSettings current() {
        return SETTINGS.isBound() ? SETTINGS.get() : EnvironmentSettings.defaults();
    }
}
