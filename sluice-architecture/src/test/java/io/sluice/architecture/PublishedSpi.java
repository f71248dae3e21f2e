package io.sluice.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;

/**
 * The engine types outside the API that other modules may use, each with the reason it is published. Everything else
 * of the runtime is internal and may change without notice. {@code JobExecutor}, the service a runtime provides, is
 * part of the API itself ({@code io.sluice.api.execution}).
 */
enum PublishedSpi {
    KEYED_STATE_BACKEND_FACTORY("io.sluice.runtime.state.KeyedStateBackendFactory",
            "a state backend module registers its backend by name through ServiceLoader (sluice-state-rocksdb does)");

    final String type;
    final String reason;

    PublishedSpi(String type, String reason) {
        this.type = type;
        this.reason = reason;
    }

    /** The published types and the types nested in them. */
    static DescribedPredicate<JavaClass> anyType() {
        return DescribedPredicate.describe("a published SPI", c -> {
            for (PublishedSpi spi : values()) {
                if (c.getName().equals(spi.type) || c.getName().startsWith(spi.type + "$")) {
                    return true;
                }
            }
            return false;
        });
    }
}
