package dev.vconv.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The results of {@code bench/scripts/torch_suite.py}:
 * <pre>
 * {"tool": "torch", "torch_version": "...", "results": [{"layer": "resnet_3x3_64x56", "threads": 1,
 *   "seconds_per_op": 0.0031, ...}, ...]}
 * </pre>
 */
public final class TorchJson {

    /** PyTorch's mean time per call of one layer at a thread count. */
    public record Entry(String layer, int threads, double secondsPerOp) {
    }

    private TorchJson() {
    }

    public static List<Entry> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode results = root == null ? null : root.get("results");
        if (results == null || !results.isArray()) {
            throw new IOException(file + " is not a torch_suite.py result: expected an object with a 'results' array");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode r : results) {
            if (!r.path("layer").isTextual() || !r.path("threads").isInt() || !r.path("seconds_per_op").isNumber()) {
                throw new IOException(file + ": every result needs layer, threads and seconds_per_op, but got " + r);
            }
            entries.add(new Entry(r.get("layer").asText(), r.get("threads").asInt(), r.get("seconds_per_op").asDouble()));
        }
        return entries;
    }
}
