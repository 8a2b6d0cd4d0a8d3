package dev.vconv.consumer;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Consumer} run as README's dependency section says, each in a child JVM on this JVM's java (a JDK 25)
 * with the installed vconv-core and vconv-simd jars: on the class path without and with
 * {@code --add-modules jdk.incubator.vector}, and on the module path without it.
 */
class ConsumerTest {
    private static final String FALLBACK = "vconv uses the scalar engine: ";
    private static final String FLAG = "--add-modules jdk.incubator.vector";

    private static final String CLASSES = System.getProperty("consumer.classes");
    private static final String CORE = System.getProperty("vconv.core.jar");
    private static final String SIMD = System.getProperty("vconv.simd.jar");

    @Test
    void onTheClassPathWithoutTheFlagItIsTheScalarEngineWithOneWarningThatNamesTheFlagOnce() throws Exception {
        Run run = run(List.of("-cp", path(CLASSES, CORE, SIMD), Consumer.class.getName()));
        assertEquals("class path", run.value("layer"), run.toString());
        assertEquals("scalar", run.value("engine"), run.toString());
        List<String> warnings = run.err.lines().filter(l -> l.contains(FALLBACK)).toList();
        assertEquals(1, warnings.size(), run.toString());
        assertTrue(warnings.get(0).contains("the module jdk.incubator.vector is not readable"), run.toString());
        assertEquals(warnings.get(0).indexOf(FLAG), warnings.get(0).lastIndexOf(FLAG), "the flag is named once: " + run);
        assertTrue(run.value("simd").startsWith("java.lang.IllegalStateException: ") && run.value("simd").contains(FLAG),
                "SimdEngines.simd() says what is missing: " + run);
    }

    @Test
    void onTheClassPathWithTheFlagItIsTheSimdEngine() throws Exception {
        Run run = run(List.of("--add-modules", "jdk.incubator.vector", "-cp", path(CLASSES, CORE, SIMD),
                Consumer.class.getName()));
        assertEquals("class path", run.value("layer"), run.toString());
        assertTrue(run.value("engine").startsWith("simd-"), run.toString());
        assertEquals(run.value("engine"), run.value("simd"), run.toString());
        assertFalse(run.err.contains(FALLBACK), run.toString());
    }

    /** On the module path dev.vconv.simd's {@code requires jdk.incubator.vector} resolves the module: no flag. */
    @Test
    void onTheModulePathItIsTheSimdEngineWithoutTheFlag() throws Exception {
        Run run = run(List.of("-p", path(CLASSES, CORE, SIMD), "-m", "dev.vconv.consumer/" + Consumer.class.getName()));
        assertEquals("module dev.vconv.consumer", run.value("layer"), run.toString());
        assertTrue(run.value("engine").startsWith("simd-"), run.toString());
        assertFalse(run.err.contains(FALLBACK), run.toString());
    }

    private static String path(String... entries) {
        for (String entry : entries) {
            assertTrue(entry != null && new File(entry).exists(), "missing path entry " + entry
                    + " (run through Maven: the pom passes the classes and the jars)");
        }
        return String.join(File.pathSeparator, entries);
    }

    /** A child JVM's exit code, stdout lines and stderr. */
    private record Run(List<String> command, int exit, List<String> out, String err) {
        String value(String key) {
            return out.stream().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + key + "= line: " + this));
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\nexit " + exit + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n" + err;
        }
    }

    private static Run run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(args);
        Path out = Files.createTempFile("consumer", ".out");
        Path err = Files.createTempFile("consumer", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // Options from the environment could add or hide the flag under test.
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("the consumer did not finish within 60 s: " + command);
        }
        Run run = new Run(command, process.exitValue(), Files.readAllLines(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        assertEquals(0, run.exit(), "the consumer's result differs from the reference, or it failed: " + run);
        return run;
    }
}
