package dev.vconv.bench.report;

/**
 * One line of bars in the report: an implementation ({@code scalar}, {@code simd}, {@code onnxruntime},
 * {@code torch}) at a thread count.
 */
public record Series(String path, int threads) implements Comparable<Series> {

    private static final java.util.List<String> ORDER = java.util.List.of("scalar", "simd", "onnxruntime", "torch");

    /** The column heading: {@code simd 2T}, with ONNX Runtime shortened to ORT. */
    public String label() {
        return (path.equals("onnxruntime") ? "ORT" : path) + " " + threads + "T";
    }

    @Override
    public int compareTo(Series o) {
        int a = rank(path);
        int b = rank(o.path);
        if (a != b) {
            return Integer.compare(a, b);
        }
        if (a == ORDER.size()) {
            int byName = path.compareTo(o.path);
            if (byName != 0) {
                return byName;
            }
        }
        return Integer.compare(threads, o.threads);
    }

    private static int rank(String path) {
        int i = ORDER.indexOf(path);
        return i < 0 ? ORDER.size() : i;
    }
}
