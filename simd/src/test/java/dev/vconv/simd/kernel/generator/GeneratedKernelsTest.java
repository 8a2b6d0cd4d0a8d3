package dev.vconv.simd.kernel.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The checked-in generated kernels are what their templates render: a hand edit of a generated file, or a
 * template changed without regenerating, fails here. With {@code -Dvconv.regenerate=true} the files are rewritten
 * instead ({@link KernelGenerator#REGENERATE}). Runs in the simd module's directory, as Maven runs tests.
 */
class GeneratedKernelsTest {
    private static final Path TEMPLATES = Path.of("src/main/templates");
    private static final Path KERNELS = Path.of("src/main/java/dev/vconv/simd/kernel");

    @TestFactory
    Stream<DynamicTest> everyGeneratedKernelIsWhatItsTemplateRenders() {
        boolean regenerate = Boolean.getBoolean("vconv.regenerate");
        return KernelGenerator.variants().stream().map(v -> DynamicTest.dynamicTest(v.className(), () -> {
            Path file = KERNELS.resolve(v.className() + ".java");
            String rendered = KernelGenerator.render(TEMPLATES, v);
            if (regenerate) {
                Files.writeString(file, rendered);
            }
            assertEquals(rendered, Files.readString(file), file + " differs from what " + v.template()
                    + " renders: edit the template, not the generated file, and regenerate with " + KernelGenerator.REGENERATE);
        }));
    }

    /** Every kernel class in the package is generated or on the list of the hand-written ones, which are not. */
    @Test
    void theHandWrittenKernelsAreExactlyTheOnesWithoutATemplate() throws IOException {
        List<String> handWritten = List.of("F32DwconvDirect512", "F32DwconvWrapped512", "F32Split512", "F32Transpose512");
        List<String> generated = KernelGenerator.variants().stream().map(KernelGenerator.Variant::className).toList();
        try (Stream<Path> files = Files.list(KERNELS)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("F32")).toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                String text = Files.readString(f);
                boolean header = text.startsWith("// Generated from simd/src/main/templates/");
                assertTrue(generated.contains(name) == header && (header || handWritten.contains(name)),
                        name + ": generated " + generated.contains(name) + ", has the generated header " + header);
            }
        }
    }

    @Test
    void theTemplateLanguageRendersLoopsConditionsAndOffsets() {
        Template t = new Template("t", String.join("\n",
                "a${N}",
                "$for R in range(N)",
                "  $if R % 2 == 0",
                "x[i${plus(R)}] c${times(R, \"ldc\")}",
                "  $elif R == 1",
                "one",
                "  $else",
                "${hex(pow2(R))}",
                "  $endif",
                "$endfor",
                "end"));
        assertEquals("a4\nx[i] c\none\nx[i + 2] c + 2 * ldc\n0x8\nend", t.render(Map.of("N", 4)));
        assertEquals("a0\nend", t.render(Map.of("N", 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.render(Map.of("M", 1)));
        assertTrue(e.getMessage().contains("t:1") && e.getMessage().contains("no variable N"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Template("u", "$for R in range(2)\nx").render(Map.of()));
    }
}
