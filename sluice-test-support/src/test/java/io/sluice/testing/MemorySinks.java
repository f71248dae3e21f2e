package io.sluice.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Creates a test's {@link MemorySink}s and drops their output after each test ({@code @RegisterExtension}). */
final class MemorySinks implements AfterEachCallback {
    private final List<MemorySink> created = new ArrayList<>();

    MemorySink create(MemorySink.Fault fault, long faultyCheckpoint) {
        MemorySink sink = new MemorySink(fault, faultyCheckpoint);
        created.add(sink);
        return sink;
    }

    MemorySink create() {
        return create(MemorySink.Fault.NONE, -1);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        created.forEach(MemorySink::clear);
        created.clear();
    }
}
