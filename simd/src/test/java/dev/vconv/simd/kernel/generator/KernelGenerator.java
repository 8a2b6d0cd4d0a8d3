package dev.vconv.simd.kernel.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the SIMD engine's per-width and per-tile kernel classes from their templates in
 * {@code simd/src/main/templates}. A species must be a {@code static final} constant for C2 to compile the Vector
 * API into vector instructions, so every width and tile is a class of its own; the templates keep those classes
 * from being copies kept in step by hand. {@code GeneratedKernelsTest} fails when a checked-in file differs from
 * what this renders, and rewrites them with {@code -Dvconv.regenerate=true} (the command is {@link #REGENERATE}).
 * Kernels that exist once (the 512-bit direct and wrapped depthwise kernels, the 512-bit split and transpose) stay
 * hand-written.
 */
public final class KernelGenerator {
    /** How to regenerate the files, as their headers say. */
    public static final String REGENERATE = "./mvnw -q -pl simd -am test -Dtest=GeneratedKernelsTest "
            + "-Dvconv.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false";

    /** One generated class: its template and variables. */
    public record Variant(String template, String className, Map<String, Object> variables) {
    }

    private KernelGenerator() {
    }

    /** Every generated kernel class. */
    public static List<Variant> variants() {
        return List.of(
                gemm(4, 2, 128, "The register plan of f32_gemm_4x2v_256 at half the width, so that every width runs and is tested anywhere."),
                gemm(4, 2, 256, "AVX2's 16 registers: 11 used; a 6x2v tile spills them."),
                gemm(8, 3, 512, "The main AVX-512 tile: 28 of 32 registers, 24 FMAs per three loads of B."),
                gemm(4, 4, 512, "For groups of four output channels or fewer, where 8 rows would compute padding rows."),
                gemm(6, 4, 512, "Pixel rows on 64, 128, 256 or 512 output channels: 29 of 32 registers."),
                gemm(7, 3, 512, "Pixel rows on 48, 96 or 144 output channels, and packed im2col^T."),
                width("F32Dwconv", 128),
                width("F32Dwconv", 256),
                width("F32Dwconv", 512),
                width("F32DwconvWrapped", 128),
                width("F32DwconvWrapped", 256),
                width("F32Split", 128),
                width("F32Split", 256),
                width("F32Epilogue", 128),
                width("F32Epilogue", 256),
                width("F32Epilogue", 512),
                width("F32Winograd", 128),
                width("F32Winograd", 256),
                width("F32Winograd", 512));
    }

    private static Variant gemm(int mr, int nv, int bits, String why) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("MR", mr);
        vars.put("NV", nv);
        vars.put("BITS", bits);
        vars.put("V", bits / Float.SIZE);
        vars.put("WHY", why);
        return new Variant("F32Gemm.java.in", "F32Gemm" + mr + "x" + nv + "v" + bits, vars);
    }

    private static Variant width(String family, int bits) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("BITS", bits);
        vars.put("V", bits / Float.SIZE);
        return new Variant(family + ".java.in", family + bits, vars);
    }

    /** The file {@code variant} renders to, with its generated-file header. */
    public static String render(Path templates, Variant variant) {
        try {
            String text = Files.readString(templates.resolve(variant.template()));
            String body = new Template(variant.template(), text).render(variant.variables());
            String header = "// Generated from simd/src/main/templates/" + variant.template() + " by "
                    + KernelGenerator.class.getName() + ": do not edit.\n// Regenerate: " + REGENERATE + "\n";
            return header + body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders every variant into {@code out} (a kernel package directory). */
    public static void main(String[] args) throws IOException {
        Path templates = Path.of(args[0]);
        Path out = Path.of(args[1]);
        for (Variant v : variants()) {
            Files.writeString(out.resolve(v.className() + ".java"), render(templates, v));
        }
    }
}
