package io.sluice.cli;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where classes compiled into a test's job jar record the class loader that loaded them (weakly): a test then sees
 * whether the loaders of ended jobs were let go.
 */
public final class LoaderProbe {
    private static final List<WeakReference<ClassLoader>> LOADERS = new CopyOnWriteArrayList<>();

    private LoaderProbe() {}

    public static void record(ClassLoader loader) {
        LOADERS.add(new WeakReference<>(loader));
    }

    static int recorded() {
        return LOADERS.size();
    }

    static long alive() {
        return LOADERS.stream().filter(r -> r.get() != null).count();
    }

    static void clear() {
        LOADERS.clear();
    }
}
