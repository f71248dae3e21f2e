package io.sluice.testing;

import io.sluice.api.sink.CollectSink;
import io.sluice.api.sink.PrintSink;
import io.sluice.api.sink.Sink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/** The sinks of sluice-api against the {@link SinkContractTest}. */
class ApiSinksContractTest {

    @Nested
    class CollectSinkContract extends SinkContractTest<String> {
        private final List<CollectSink<String>> sinks = new ArrayList<>();

        protected Sink<String> createSink() {
            sinks.add(new CollectSink<>());
            return sinks.getLast();
        }

        protected String record(String id) {
            return id;
        }

        protected List<String> visibleRecords() {
            return sinks.getLast().results();
        }

        @AfterEach
        void clear() {
            sinks.forEach(CollectSink::clear);
        }
    }

    /** Standard output is captured while each test runs (the writers take {@code System.out} when created). */
    @Nested
    class PrintSinkContract extends SinkContractTest<String> {
        private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        private PrintStream original;

        @BeforeEach
        void capture() {
            original = System.out;
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        }

        @AfterEach
        void release() {
            System.setOut(original);
        }

        protected Sink<String> createSink() {
            printed.reset();
            return new PrintSink<>();
        }

        protected String record(String id) {
            return id;
        }

        /** Each line, without the {@code "2> "} that marks the subtask at a parallelism above one. */
        protected List<String> visibleRecords() {
            return printed.toString(StandardCharsets.UTF_8).lines().map(line -> line.replaceFirst("^\\d+> ", "")).toList();
        }
    }
}
