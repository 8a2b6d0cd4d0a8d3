package dev.vconv.bench.results;

/** A result file cannot be used: unreadable, not JMH's JSON, or missing or invalid fields. */
public final class ResultFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public ResultFileException(String message) {
        super(message);
    }
}
