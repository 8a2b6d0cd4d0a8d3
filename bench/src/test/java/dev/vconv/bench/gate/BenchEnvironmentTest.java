package dev.vconv.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vconv.bench.jmh.BenchEnvironment;
import dev.vconv.bench.results.JmhResult;
import dev.vconv.bench.results.JmhResultReader;
import dev.vconv.bench.results.SyntheticResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench command stamps every result with the environment, and the gate compares it. */
class BenchEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void stampedResultsCarryVectorWidthAndCpuAndAnotherWidthIsNotComparable() throws Exception {
        Path file = new SyntheticResults().add("dev.vconv.bench.jmh.GridBench.simd", "avgt", "S1_D1_G1_K3", 100, 0.01, 3, 1, 0)
                .write(dir.resolve("a.json"));

        BenchEnvironment.stamp(file);

        List<JmhResult> results = JmhResultReader.read(file);
        JmhResult.Environment env = results.get(0).environment();
        assertEquals(BenchEnvironment.current().get("vectorBits"), env.extra().get("vectorBits"));
        assertEquals(BenchEnvironment.current().get("cpu"), env.extra().get("cpu"));
        assertFalse(env.extra().get("cpu").isBlank());
        assertTrue(env.differences(env).isEmpty());

        ObjectMapper json = new ObjectMapper();
        ArrayNode other = (ArrayNode) json.readTree(file.toFile());
        ((ObjectNode) other.get(0).get("environment")).put("vectorBits", "128");
        Path narrower = dir.resolve("b.json");
        json.writeValue(narrower.toFile(), other);
        List<String> differences = env.differences(JmhResultReader.read(narrower).get(0).environment());
        assertEquals(1, differences.size(), differences.toString());
        assertTrue(differences.get(0).contains("vectorBits"), differences.toString());
    }
}
