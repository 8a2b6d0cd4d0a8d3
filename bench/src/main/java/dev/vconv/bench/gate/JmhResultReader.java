package dev.vconv.bench.gate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads JMH's JSON result format ({@code -rf json}): an array of objects with {@code benchmark}, {@code mode},
 * {@code params}, the JVM fields and {@code primaryMetric} ({@code score}, {@code scoreUnit}, and {@code rawData}
 * as {@code [fork][iteration]}, or {@code rawDataHistogram} in sample mode), plus optional
 * {@code secondaryMetrics."gc.alloc.rate.norm"} and an optional non-JMH {@code environment} object of strings.
 *
 * <p>Strict on purpose: a gate that guesses at a half-written file can pass a regression. Every problem is a
 * {@link GateInputException} naming the file, the benchmark and the field.
 */
public final class JmhResultReader {

    private static final Set<String> MODES = Set.of("thrpt", "avgt", "sample", "ss");
    private static final String ALLOC_METRIC = "gc.alloc.rate.norm";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JmhResultReader() {
    }

    /** Reads and checks a whole file. */
    public static List<JmhResult> read(Path file) throws GateInputException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new GateInputException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new GateInputException(file + ": cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return parse(file.toString(), root);
    }

    /** Checks a parsed document; {@code source} names it in messages. */
    static List<JmhResult> parse(String source, JsonNode root) throws GateInputException {
        if (root == null || !root.isArray()) {
            throw new GateInputException(source + ": expected a JSON array of JMH results, but got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        if (root.isEmpty()) {
            throw new GateInputException(source + ": holds no benchmark results");
        }
        List<JmhResult> results = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JmhResult result = result(source + ": result #" + (i + 1), root.get(i));
            if (!keys.add(result.key())) {
                throw new GateInputException(source + ": benchmark " + result.key() + " appears twice");
            }
            results.add(result);
        }
        return results;
    }

    private static JmhResult result(String where, JsonNode node) throws GateInputException {
        if (!node.isObject()) {
            throw new GateInputException(where + ": expected an object, but got " + node.getNodeType().toString().toLowerCase());
        }
        String benchmark = text(where, node, "benchmark");
        where = where + " (" + benchmark + ")";
        String mode = text(where, node, "mode");
        if (!MODES.contains(mode)) {
            throw new GateInputException(where + ": field 'mode' must be one of thrpt, avgt, sample, ss, but got '" + mode + "'");
        }
        SortedMap<String, String> params = stringMap(where, node, "params");
        JmhResult.Environment environment = new JmhResult.Environment(text(where, node, "jdkVersion"),
                text(where, node, "vmName"), text(where, node, "vmVersion"), stringList(where, node, "jvmArgs"),
                stringMap(where, node, "environment"));
        JsonNode primary = object(where, node, "primaryMetric");
        String unit = text(where + " primaryMetric", primary, "scoreUnit");
        double score = positive(where, "primaryMetric.score", required(where, primary, "primaryMetric.score", "score"));
        double[][] forks = primary.has("rawData") ? rawData(where, primary.get("rawData"))
                : histogram(where, required(where, primary, "primaryMetric.rawData", "rawDataHistogram"));
        Double alloc = null;
        JsonNode secondary = node.get("secondaryMetrics");
        if (secondary != null && secondary.isObject() && secondary.has(ALLOC_METRIC)) {
            String field = "secondaryMetrics." + ALLOC_METRIC + ".score";
            alloc = finite(where, field, required(where, secondary.get(ALLOC_METRIC), field, "score"));
        }
        return new JmhResult(benchmark, mode, params, unit, score, forks, alloc, environment);
    }

    /** {@code rawData}: one array of iteration scores per fork. */
    private static double[][] rawData(String where, JsonNode node) throws GateInputException {
        if (!node.isArray() || node.isEmpty()) {
            throw new GateInputException(where + ": field 'primaryMetric.rawData' must be a non-empty array of forks");
        }
        double[][] forks = new double[node.size()][];
        for (int f = 0; f < forks.length; f++) {
            JsonNode fork = node.get(f);
            String field = "primaryMetric.rawData[" + f + "]";
            if (!fork.isArray() || fork.isEmpty()) {
                throw new GateInputException(where + ": field '" + field + "' must be a non-empty array of iteration scores");
            }
            forks[f] = new double[fork.size()];
            for (int i = 0; i < fork.size(); i++) {
                forks[f][i] = finite(where, field + "[" + i + "]", fork.get(i));
            }
        }
        return forks;
    }

    /**
     * {@code rawDataHistogram} (sample mode): per fork, per iteration, {@code [value, count]} pairs. Each iteration
     * is reduced to its mean, so that both modes give {@code [fork][iteration]} scores.
     */
    private static double[][] histogram(String where, JsonNode node) throws GateInputException {
        String field = "primaryMetric.rawDataHistogram";
        if (!node.isArray() || node.isEmpty()) {
            throw new GateInputException(where + ": field '" + field + "' must be a non-empty array of forks");
        }
        double[][] forks = new double[node.size()][];
        for (int f = 0; f < forks.length; f++) {
            JsonNode fork = node.get(f);
            if (!fork.isArray() || fork.isEmpty()) {
                throw new GateInputException(where + ": field '" + field + "[" + f + "]' must be a non-empty array of iterations");
            }
            forks[f] = new double[fork.size()];
            for (int i = 0; i < fork.size(); i++) {
                String at = field + "[" + f + "][" + i + "]";
                JsonNode iteration = fork.get(i);
                double sum = 0;
                double count = 0;
                for (JsonNode pair : iteration) {
                    if (!pair.isArray() || pair.size() != 2) {
                        throw new GateInputException(where + ": field '" + at + "' must hold [value, count] pairs");
                    }
                    double c = finite(where, at + " count", pair.get(1));
                    sum += finite(where, at + " value", pair.get(0)) * c;
                    count += c;
                }
                if (!(count > 0)) {
                    throw new GateInputException(where + ": field '" + at + "' holds no samples");
                }
                forks[f][i] = sum / count;
            }
        }
        return forks;
    }

    private static JsonNode required(String where, JsonNode parent, String path, String name) throws GateInputException {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw new GateInputException(where + ": missing field '" + path + "'");
        }
        return value;
    }

    private static String text(String where, JsonNode parent, String name) throws GateInputException {
        JsonNode value = required(where, parent, name, name);
        if (!value.isTextual()) {
            throw new GateInputException(where + ": field '" + name + "' must be a string, but got " + value);
        }
        return value.textValue();
    }

    private static JsonNode object(String where, JsonNode parent, String name) throws GateInputException {
        JsonNode value = required(where, parent, name, name);
        if (!value.isObject()) {
            throw new GateInputException(where + ": field '" + name + "' must be an object");
        }
        return value;
    }

    /** A finite number. JMH writes NaN and infinities as strings ({@code "NaN"}), so those fail here too. */
    private static double finite(String where, String field, JsonNode value) throws GateInputException {
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new GateInputException(where + ": field '" + field + "' must be a finite number, but got " + value);
        }
        return value.doubleValue();
    }

    private static double positive(String where, String field, JsonNode value) throws GateInputException {
        double result = finite(where, field, value);
        if (!(result > 0)) {
            throw new GateInputException(where + ": field '" + field + "' must be positive, but got " + value);
        }
        return result;
    }

    private static List<String> stringList(String where, JsonNode parent, String name) throws GateInputException {
        JsonNode value = parent.get(name);
        if (value == null || !value.isArray()) {
            throw new GateInputException(where + ": field '" + name + "' must be an array of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new GateInputException(where + ": field '" + name + "' must hold only strings, but has " + item);
            }
            list.add(item.textValue());
        }
        return list;
    }

    /** An optional object of scalars, as strings; absent means empty. */
    private static SortedMap<String, String> stringMap(String where, JsonNode parent, String name) throws GateInputException {
        JsonNode value = parent.get(name);
        SortedMap<String, String> map = new TreeMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            throw new GateInputException(where + ": field '" + name + "' must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isValueNode()) {
                throw new GateInputException(where + ": field '" + name + "." + entry.getKey() + "' must be a string or number");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        }
        return map;
    }
}
