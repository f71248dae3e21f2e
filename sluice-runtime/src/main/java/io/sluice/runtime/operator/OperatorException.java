package io.sluice.runtime.operator;

/**
 * A failure inside an operator, carrying where it happened. The runtime wraps user exceptions into it once, at the
 * innermost operator, and the task adds the subtask when it reports the failure.
 */
public final class OperatorException extends RuntimeException {
    private final String operatorName;

    public OperatorException(String operatorName, Throwable cause) {
        super("Operator '" + operatorName + "' failed: " + cause, cause);
        this.operatorName = operatorName;
    }

    public String operatorName() {
        return operatorName;
    }
}
