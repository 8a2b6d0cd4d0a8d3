package dev.vconv.bench.results;

/** JMH's score units, turned into seconds per operation. */
public final class Units {
    private Units() {
    }

    /**
     * Seconds per operation for a score in {@code s/op}, {@code ms/op}, {@code us/op}, {@code ns/op} (average
     * or sample time) or the inverse {@code ops/s}, {@code ops/ms}, {@code ops/us}, {@code ops/ns} (throughput).
     */
    public static double secondsPerOp(double score, String unit) {
        String u = unit.trim();
        if (u.endsWith("/op")) {
            return score * seconds(u.substring(0, u.length() - 3));
        }
        if (u.startsWith("ops/")) {
            return seconds(u.substring(4)) / score;
        }
        throw new IllegalArgumentException("unknown JMH score unit '" + unit + "': expected <time>/op or ops/<time>");
    }

    /** Seconds in one {@code s}, {@code ms}, {@code us} or {@code ns}. */
    static double seconds(String timeUnit) {
        return switch (timeUnit) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us", "\u00b5s" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("unknown time unit '" + timeUnit + "' in a JMH score unit");
        };
    }
}
