package io.sluice.cli;

/** Job mains that go wrong, for {@code run io.sluice.cli.TestMains$Throws --cluster DIR} and the like. */
public final class TestMains {
    private TestMains() {}

    /** A main that fails before it builds anything. */
    public static final class Throws {
        private Throws() {}

        public static void main(String[] args) {
            throw new IllegalStateException("no input configured: pass --input");
        }
    }

    /** A main that returns without submitting a job. */
    public static final class SubmitsNothing {
        private SubmitsNothing() {}

        public static void main(String[] args) {
            // builds nothing, executes nothing
        }
    }
}
