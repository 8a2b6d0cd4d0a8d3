package dev.vconv.bench.results;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads JMH's JSON result format ({@code -rf json}), for the report and the regression gate alike: an array of
 * objects with {@code benchmark}, {@code mode}, {@code params}, {@code threads}, the JVM fields and
 * {@code primaryMetric} ({@code score}, {@code scoreUnit}, optional {@code scoreError} and
 * {@code scorePercentiles}, and {@code rawData} as {@code [fork][iteration]}, or {@code rawDataHistogram} in
 * sample mode), plus optional {@code secondaryMetrics} and an optional non-JMH {@code environment} object of
 * strings (added by {@code BenchEnvironment.stamp}).
 *
 * <p>Strict on purpose: a gate that guesses at a half-written file can pass a regression. Every problem is a
 * {@link ResultFileException} naming the file, the benchmark and the field. Only what JMH itself leaves out or
 * writes as {@code "NaN"} is optional: the error and percentiles of a single iteration, the scores of secondary
 * metrics it could not compute (except {@value JmhResult#ALLOC_METRIC}, which the gate judges).
 */
public final class JmhResultReader {

    private static final Set<String> MODES = Set.of("thrpt", "avgt", "sample", "ss");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JmhResultReader() {
    }

    /** Reads and checks a whole file. */
    public static List<JmhResult> read(Path file) throws ResultFileException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new ResultFileException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ResultFileException(file + ": cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return parse(file.toString(), root);
    }

    /** Reads and checks a document held in a string; {@code source} names it in messages. */
    public static List<JmhResult> parse(String source, String json) throws ResultFileException {
        try {
            return parse(source, JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new ResultFileException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static List<JmhResult> parse(String source, JsonNode root) throws ResultFileException {
        if (root == null || !root.isArray()) {
            throw new ResultFileException(source + ": expected a JSON array of JMH results, but got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        if (root.isEmpty()) {
            throw new ResultFileException(source + ": holds no benchmark results");
        }
        List<JmhResult> results = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JmhResult result = result(source + ": result #" + (i + 1), root.get(i));
            if (!keys.add(result.key())) {
                throw new ResultFileException(source + ": benchmark " + result.key() + " appears twice");
            }
            results.add(result);
        }
        return results;
    }

    private static JmhResult result(String where, JsonNode node) throws ResultFileException {
        if (!node.isObject()) {
            throw new ResultFileException(where + ": expected an object, but got " + node.getNodeType().toString().toLowerCase());
        }
        String benchmark = text(where, node, "benchmark");
        where = where + " (" + benchmark + ")";
        String mode = text(where, node, "mode");
        if (!MODES.contains(mode)) {
            throw new ResultFileException(where + ": field 'mode' must be one of thrpt, avgt, sample, ss, but got '" + mode + "'");
        }
        SortedMap<String, String> params = stringMap(where, node, "params");
        JmhResult.Environment environment = new JmhResult.Environment(text(where, node, "jdkVersion"),
                text(where, node, "vmName"), text(where, node, "vmVersion"), stringList(where, node, "jvmArgs"),
                stringMap(where, node, "environment"));
        int threads = node.has("threads") ? positiveInt(where, node, "threads") : 1;
        JsonNode primary = object(where, node, "primaryMetric");
        String unit = text(where + " primaryMetric", primary, "scoreUnit");
        double score = positive(where, "primaryMetric.score", required(where, primary, "primaryMetric.score", "score"));
        double[][] forks = primary.has("rawData") ? rawData(where, primary.get("rawData"))
                : histogram(where, required(where, primary, "primaryMetric.rawData", "rawDataHistogram"));
        double median = numberOrNaN(primary.path("scorePercentiles").path("50.0"));
        double error = numberOrNaN(primary.path("scoreError"));
        Map<String, JmhResult.Metric> secondary = new LinkedHashMap<>();
        JsonNode metrics = node.get("secondaryMetrics");
        if (metrics != null && metrics.isObject()) {
            for (Map.Entry<String, JsonNode> metric : metrics.properties()) {
                String field = "secondaryMetrics." + metric.getKey() + ".score";
                JsonNode value = metric.getValue().path("score");
                if (metric.getKey().equals(JmhResult.ALLOC_METRIC)) {
                    value = required(where, metric.getValue(), field, "score");
                    finite(where, field, value);
                } else if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                    continue;
                }
                secondary.put(metric.getKey(), new JmhResult.Metric(value.doubleValue(),
                        metric.getValue().path("scoreUnit").asText("")));
            }
        }
        return new JmhResult(benchmark, mode, params, threads, unit, score, median, error, forks, secondary, environment);
    }

    /** {@code rawData}: one array of iteration scores per fork. */
    private static double[][] rawData(String where, JsonNode node) throws ResultFileException {
        if (!node.isArray() || node.isEmpty()) {
            throw new ResultFileException(where + ": field 'primaryMetric.rawData' must be a non-empty array of forks");
        }
        double[][] forks = new double[node.size()][];
        for (int f = 0; f < forks.length; f++) {
            JsonNode fork = node.get(f);
            String field = "primaryMetric.rawData[" + f + "]";
            if (!fork.isArray() || fork.isEmpty()) {
                throw new ResultFileException(where + ": field '" + field + "' must be a non-empty array of iteration scores");
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
    private static double[][] histogram(String where, JsonNode node) throws ResultFileException {
        String field = "primaryMetric.rawDataHistogram";
        if (!node.isArray() || node.isEmpty()) {
            throw new ResultFileException(where + ": field '" + field + "' must be a non-empty array of forks");
        }
        double[][] forks = new double[node.size()][];
        for (int f = 0; f < forks.length; f++) {
            JsonNode fork = node.get(f);
            if (!fork.isArray() || fork.isEmpty()) {
                throw new ResultFileException(where + ": field '" + field + "[" + f + "]' must be a non-empty array of iterations");
            }
            forks[f] = new double[fork.size()];
            for (int i = 0; i < fork.size(); i++) {
                String at = field + "[" + f + "][" + i + "]";
                JsonNode iteration = fork.get(i);
                double sum = 0;
                double count = 0;
                for (JsonNode pair : iteration) {
                    if (!pair.isArray() || pair.size() != 2) {
                        throw new ResultFileException(where + ": field '" + at + "' must hold [value, count] pairs");
                    }
                    double c = finite(where, at + " count", pair.get(1));
                    sum += finite(where, at + " value", pair.get(0)) * c;
                    count += c;
                }
                if (!(count > 0)) {
                    throw new ResultFileException(where + ": field '" + at + "' holds no samples");
                }
                forks[f][i] = sum / count;
            }
        }
        return forks;
    }

    private static JsonNode required(String where, JsonNode parent, String path, String name) throws ResultFileException {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw new ResultFileException(where + ": missing field '" + path + "'");
        }
        return value;
    }

    private static String text(String where, JsonNode parent, String name) throws ResultFileException {
        JsonNode value = required(where, parent, name, name);
        if (!value.isTextual()) {
            throw new ResultFileException(where + ": field '" + name + "' must be a string, but got " + value);
        }
        return value.textValue();
    }

    private static JsonNode object(String where, JsonNode parent, String name) throws ResultFileException {
        JsonNode value = required(where, parent, name, name);
        if (!value.isObject()) {
            throw new ResultFileException(where + ": field '" + name + "' must be an object");
        }
        return value;
    }

    /** A finite number. JMH writes NaN and infinities as strings ({@code "NaN"}), so those fail here too. */
    private static double finite(String where, String field, JsonNode value) throws ResultFileException {
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new ResultFileException(where + ": field '" + field + "' must be a finite number, but got " + value);
        }
        return value.doubleValue();
    }

    /** An optional number: NaN when absent or not finite (JMH writes {@code "NaN"} for an error it cannot compute). */
    private static double numberOrNaN(JsonNode value) {
        return value.isNumber() && Double.isFinite(value.doubleValue()) ? value.doubleValue() : Double.NaN;
    }

    private static int positiveInt(String where, JsonNode parent, String name) throws ResultFileException {
        JsonNode value = parent.get(name);
        if (!value.isInt() || value.intValue() < 1) {
            throw new ResultFileException(where + ": field '" + name + "' must be a positive whole number, but got " + value);
        }
        return value.intValue();
    }

    private static double positive(String where, String field, JsonNode value) throws ResultFileException {
        double result = finite(where, field, value);
        if (!(result > 0)) {
            throw new ResultFileException(where + ": field '" + field + "' must be positive, but got " + value);
        }
        return result;
    }

    private static List<String> stringList(String where, JsonNode parent, String name) throws ResultFileException {
        JsonNode value = parent.get(name);
        if (value == null || !value.isArray()) {
            throw new ResultFileException(where + ": field '" + name + "' must be an array of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new ResultFileException(where + ": field '" + name + "' must hold only strings, but has " + item);
            }
            list.add(item.textValue());
        }
        return list;
    }

    /** An optional object of scalars, as strings; absent means empty. */
    private static SortedMap<String, String> stringMap(String where, JsonNode parent, String name) throws ResultFileException {
        JsonNode value = parent.get(name);
        SortedMap<String, String> map = new TreeMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            throw new ResultFileException(where + ": field '" + name + "' must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isValueNode()) {
                throw new ResultFileException(where + ": field '" + name + "." + entry.getKey() + "' must be a string or number");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        }
        return map;
    }
}
