package io.sluice.connectors.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real broker per test class: {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new
 * KafkaBrokerExtension();}, then {@code KAFKA.kafka()}. Started before the class's first test, killed after its last
 * (and by the JVM's shutdown hook if the run is cut short).
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private TestKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = TestKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    public TestKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the broker runs only while the test class does");
        }
        return kafka;
    }
}
