package io.sluice.connectors.kafka.sink;

/**
 * Runs a Kafka client's close with the thread's interrupt flag set aside: a cancelled task's thread is interrupted,
 * and the clients' close then throws instead of closing. The flag is restored afterwards.
 */
final class Uninterrupted {
    private Uninterrupted() {}

    static void run(Runnable action) {
        boolean interrupted = Thread.interrupted();
        try {
            action.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
