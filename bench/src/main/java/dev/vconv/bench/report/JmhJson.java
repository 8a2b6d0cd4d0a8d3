package dev.vconv.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON that JMH writes with {@code -rf json}: an array of results. */
public final class JmhJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JmhJson() {
    }

    public static List<JmhResult> read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " is not readable JSON: " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    public static List<JmhResult> parse(String json) throws IOException {
        return parse(MAPPER.readTree(json), "<string>");
    }

    private static List<JmhResult> parse(JsonNode root, String source) throws IOException {
        if (root == null || !root.isArray()) {
            throw new IOException(source + " is not a JMH result file: expected a JSON array of results");
        }
        List<JmhResult> results = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : root) {
            JsonNode primary = entry.path("primaryMetric");
            if (!entry.path("benchmark").isTextual() || !primary.path("score").isNumber()
                    || !primary.path("scoreUnit").isTextual()) {
                throw new IOException(source + ": result " + index
                        + " lacks benchmark, primaryMetric.score or primaryMetric.scoreUnit");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                params.put(p.getKey(), p.getValue().asText());
            }
            Map<String, JmhResult.Metric> secondary = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("secondaryMetrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                if (m.getValue().path("score").isNumber()) {
                    secondary.put(m.getKey(), new JmhResult.Metric(m.getValue().path("score").asDouble(),
                            m.getValue().path("scoreUnit").asText("")));
                }
            }
            JsonNode error = primary.path("scoreError");
            JsonNode median = primary.path("scorePercentiles").path("50.0");
            results.add(new JmhResult(entry.path("benchmark").asText(), params, entry.path("threads").asInt(1),
                    primary.path("score").asDouble(), median.isNumber() ? median.asDouble() : Double.NaN,
                    error.isNumber() ? error.asDouble() : Double.NaN,
                    primary.path("scoreUnit").asText(), secondary));
            index++;
        }
        return results;
    }
}
