package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SimdEngines#best()} in child JVMs started with the flags under test, since the test JVM itself always
 * has the module and C2: with {@code --add-modules jdk.incubator.vector} it is a SIMD engine; without the
 * module, with C2 off, or with {@code vconv.vector.bits=0} it is the scalar engine, with one logged warning
 * that says why, even though {@code best()} is asked twice. The children run {@link BestEngineMain} on this
 * JVM's java binary and class path (tests run on the class path, not the module path), without
 * {@code JDK_JAVA_OPTIONS} or {@code JAVA_TOOL_OPTIONS}, which could add or hide the flags under test.
 */
class BestEngineFallbackTest {
    private static final String WARNING = "vconv uses the scalar engine";
    private static final List<String> ADD_MODULES = List.of("--add-modules", "jdk.incubator.vector");

    @TempDir
    Path dir;

    @Test
    void withTheModuleAndC2BestIsSimd() throws Exception {
        Child child = run(ADD_MODULES);
        assertEquals("null", child.why(), child.toString());
        assertTrue(child.best().startsWith("simd-"), child.toString());
        assertEquals(0, child.warnings().size(), child.toString());
        assertTrue(child.simd().startsWith("simd-"), child.toString());
    }

    @Test
    void withoutTheModuleBestIsScalarAndOneWarningNamesTheFlagOnce() throws Exception {
        Child child = run(List.of());
        assertEquals("scalar", child.best(), child.toString());
        assertTrue(child.why().contains("jdk.incubator.vector is not readable"), child.toString());
        assertEquals(1, child.warnings().size(), "best() was asked twice; the warning must appear once: " + child);
        assertEquals(1, occurrences(child.warnings().get(0), "--add-modules jdk.incubator.vector"),
                "the fix is stated once: " + child);
    }

    /** Asked for by name, the SIMD engine without the module is a clear error, not a NoClassDefFoundError. */
    @Test
    void withoutTheModuleSimdThrowsAnIllegalStateExceptionNamingTheFlag() throws Exception {
        Child child = run(List.of());
        assertTrue(child.simd().startsWith(IllegalStateException.class.getName() + ": "), child.toString());
        assertTrue(child.simd().contains("--add-modules jdk.incubator.vector"), child.toString());
    }

    /** A mistyped width is the reason, and the flag that is present is not blamed. */
    @Test
    void withAMistypedWidthTheWarningNamesThePropertyNotTheFlag() throws Exception {
        List<String> flags = new ArrayList<>(ADD_MODULES);
        flags.add("-D" + SimdEngines.WIDTH_PROPERTY + "=51");
        Child child = run(flags);
        assertEquals("scalar", child.best(), child.toString());
        assertEquals(1, child.warnings().size(), child.toString());
        String warning = child.warnings().get(0);
        assertTrue(warning.contains(SimdEngines.WIDTH_PROPERTY + " must be 512, 256, 128 or 0, but got '51'"), child.toString());
        assertFalse(warning.contains("--add-modules"), "the flag is present; the warning must not ask for it: " + child);
        assertFalse(warning.contains("C2"), "C2 is on; the warning must not mention it: " + child);
    }

    @Test
    void withC2OffBestIsScalarAndTheReasonNamesC2() throws Exception {
        List<String> flags = new ArrayList<>(ADD_MODULES);
        flags.add("-XX:TieredStopAtLevel=1");
        Child child = run(flags);
        assertEquals("scalar", child.best(), child.toString());
        assertTrue(child.why().contains("C2"), child.toString());
        assertEquals(1, child.warnings().size(), child.toString());
        assertTrue(child.warnings().get(0).contains("C2 is off"), child.toString());
        assertFalse(child.warnings().get(0).contains("--add-modules"), "the flag is present; the warning must not ask for it: " + child);
    }

    /** C2 off in every way HotSpot has, and on where later flags or -TieredCompilation undo an earlier stop. */
    @Test
    void theC2CheckReadsTheOptionsTheJvmRunsWith() throws Exception {
        for (List<String> off : List.of(List.of("-XX:TieredStopAtLevel=3"), List.of("-XX:CompilationMode=quick-only"),
                List.of("-XX:TieredStopAtLevel=4", "-XX:TieredStopAtLevel=2"), List.of("-Xint"))) {
            List<String> flags = new ArrayList<>(ADD_MODULES);
            flags.addAll(off);
            Child child = run(flags);
            assertEquals("scalar", child.best(), child.toString());
        }
        for (List<String> on : List.of(List.of("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4"), List.of("-XX:TieredStopAtLevel=04"),
                List.of("-XX:-TieredCompilation", "-XX:TieredStopAtLevel=1"))) {
            List<String> flags = new ArrayList<>(ADD_MODULES);
            flags.addAll(on);
            Child child = run(flags);
            assertTrue(child.best().startsWith("simd-"), child.toString());
        }
    }

    @Test
    void withWidthPropertyZeroBestIsScalar() throws Exception {
        List<String> flags = new ArrayList<>(ADD_MODULES);
        flags.add("-D" + SimdEngines.WIDTH_PROPERTY + "=0");
        Child child = run(flags);
        assertEquals("scalar", child.best(), child.toString());
        assertTrue(child.why().contains(SimdEngines.WIDTH_PROPERTY + "=0"), child.toString());
        assertEquals(1, child.warnings().size(), child.toString());
        assertFalse(child.warnings().get(0).contains("--add-modules"), "scalar was asked for: no advice on enabling SIMD. " + child);
    }

    /** A child JVM's output: {@link BestEngineMain}'s lines on stdout, the log on stderr. */
    private record Child(List<String> flags, int exit, List<String> out, String err) {
        String why() {
            return value("why=");
        }

        /** The engine's name, checked to be the same engine both times {@code best()} was asked. */
        String best() {
            List<String> names = out.stream().filter(l -> l.startsWith("best=")).map(l -> l.substring(5)).toList();
            assertEquals(2, names.size(), toString());
            assertEquals(names.get(0), names.get(1), toString());
            assertEquals("true", value("same="), toString());
            return names.get(0);
        }

        String simd() {
            return value("simd=");
        }

        List<String> warnings() {
            return err.lines().filter(l -> l.contains(WARNING)).toList();
        }

        private String value(String key) {
            return out.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length())).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + key + " line: " + this));
        }

        @Override
        public String toString() {
            return "child JVM with flags " + flags + " exited " + exit + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n" + err;
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private Child run(List<String> jvmFlags) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BestEngineMain.class.getName());
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("the child JVM did not finish within 60 s: " + command + "\n" + Files.readString(err));
        }
        Child child = new Child(jvmFlags, process.exitValue(), Files.readAllLines(out), Files.readString(err));
        assertEquals(0, child.exit(), child.toString());
        return child;
    }
}
