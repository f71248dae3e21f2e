package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test after which Netty reports a buffer that was never released. Every buffer is tracked (paranoid level);
 * after each test a few buffers are allocated, which is when Netty reports the leaked ones the collector found, and
 * after the class the collector runs first. A leak found late is blamed on the test that finds it: its message holds
 * the buffer's last accesses, which name the code that dropped it.
 *
 * <p>Netty creates its detector when its buffer classes load, so this must install its factory first: it checks
 * that it did, rather than pass tests that checked nothing.
 */
public final class LeakDetection implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean TRACKING_BUFFERS = new AtomicBoolean();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                if (ByteBuf.class.isAssignableFrom(resource)) {
                    TRACKING_BUFFERS.set(true);
                }
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ByteBufAllocator.DEFAULT.buffer(1).release(); // loads the buffer classes, which create their detector
        assertTrue(TRACKING_BUFFERS.get(), "Netty's buffers were in use before leak detection was installed");
    }

    /** Reports what the collector already found: cheap, so every test gets it. */
    @Override
    public void afterEach(ExtensionContext context) {
        check(context.getDisplayName(), false);
    }

    /** Collects garbage first, so every buffer the class dropped is found. */
    @Override
    public void afterAll(ExtensionContext context) {
        check(context.getDisplayName() + " (found after its last test)", true);
    }

    private static void check(String where, boolean collect) {
        for (int round = 0; round < (collect ? 3 : 1); round++) {
            if (collect) {
                System.gc();
                try {
                    Thread.sleep(20); // the reference handler queues what the collection found
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (int i = 0; i < 8; i++) {
                ByteBufAllocator.DEFAULT.buffer(1).release(); // each tracked allocation reports collected leaks
            }
        }
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " Netty buffer(s) leaked, found after " + where + ":\n" + String.join("\n", leaks));
        }
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leaked:" + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leaked (no record of its accesses)");
        }
    }
}
