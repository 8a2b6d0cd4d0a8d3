package dev.vconv.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a measurement depends on that JMH's JSON does not record: the vector width the SIMD engine runs at,
 * the CPU model and the number of processors. {@link #stamp} adds it to every result as an
 * {@code environment} object, which the regression gate ({@code check}) compares: results from another CPU
 * or vector width are "not comparable", never a silent pass.
 */
public final class BenchEnvironment {

    private BenchEnvironment() {
    }

    /** The environment of this JVM; forks share its JVM arguments and hardware. */
    public static Map<String, String> current() {
        Map<String, String> env = new LinkedHashMap<>();
        String forced = System.getProperty("vconv.vector.bits");
        env.put("vectorBits", forced != null ? forced : Integer.toString(FloatVector.SPECIES_PREFERRED.vectorBitSize()));
        env.put("cpu", cpuModel());
        env.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return env;
    }

    /** Adds {@code environment} to every result of a JMH JSON file, in place. */
    public static void stamp(Path json) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode root = mapper.readTree(json.toFile());
        if (!(root instanceof ArrayNode results)) {
            throw new IOException(json + " is not a JMH JSON result array");
        }
        Map<String, String> env = current();
        for (JsonNode result : results) {
            ObjectNode node = ((ObjectNode) result).putObject("environment");
            env.forEach(node::put);
        }
        mapper.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
    }

    /** The first {@code model name} of /proc/cpuinfo, else {@code os.arch}. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or not readable: fall back to the architecture
        }
        return System.getProperty("os.arch");
    }
}
