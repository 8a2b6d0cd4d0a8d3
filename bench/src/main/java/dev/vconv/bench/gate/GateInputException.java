package dev.vconv.bench.gate;

/** A result file cannot be used: unreadable, not JMH's JSON, or missing or invalid fields. */
public final class GateInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public GateInputException(String message) {
        super(message);
    }
}
