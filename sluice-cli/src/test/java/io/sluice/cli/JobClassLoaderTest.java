package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's main runs with its jars in a class loader of its own, closed when the command ends. */
class JobClassLoaderTest {
    static final AtomicReference<ClassLoader> SEEN = new AtomicReference<>();
    static final AtomicReference<URL> MARKER = new AtomicReference<>();

    /** A "job" that records its class loader and what the jar holds. */
    public static final class RecordingJob {
        public static void main(String[] args) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            SEEN.set(loader);
            MARKER.set(loader.getResource("marker.txt"));
        }
    }

    @Test
    void theJobsClassLoaderSeesItsJarAndIsClosedAfterwards(@TempDir Path tmp) throws Exception {
        Path jar = tmp.resolve("job.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("marker.txt"));
            out.write("in the job's jar".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertEquals(0, Main.execute("run", RecordingJob.class.getName(), "--jar", jar.toString()));
        assertNotNull(MARKER.get(), "the job saw its jar");
        assertNull(SEEN.get().getResource("marker.txt"), "the job's class loader is closed once its command ended");
    }
}
