package dev.vconv.bench.conformance;

/** Counts of a conformance run. */
public record Tally(int passed, int failed, int skipped) {

    public static final Tally ZERO = new Tally(0, 0, 0);

    public Tally plus(Tally other) {
        return new Tally(passed + other.passed, failed + other.failed, skipped + other.skipped);
    }

    /** The runner's closing line: {@code N passed, M failed, K skipped}. */
    @Override
    public String toString() {
        return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }
}
