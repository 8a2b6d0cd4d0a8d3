package dev.vconv.simd;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Engines;
import dev.vconv.core.MatMul;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.train.SimdGemm;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Hands out engines: {@link #simd()}, {@link #scalar()} and {@link #best()}, which takes SIMD when the Vector
 * API can run fast here and falls back to the scalar engine, with one logged warning that says why.
 *
 * <p>System property {@code vconv.vector.bits} forces the width: {@code 512}, {@code 256}, {@code 128}, or
 * {@code 0} for the scalar engine (so tests run every width on one machine). Without it the width is the
 * preferred species' ({@code FloatVector.SPECIES_PREFERRED}).
 */
public final class SimdEngines {
    /** The system property that forces the vector width. */
    public static final String WIDTH_PROPERTY = "vconv.vector.bits";

    private static final System.Logger LOG = System.getLogger(SimdEngines.class.getName());

    /** The reason, stated once, when the Vector API module is missing (on the class path without the flag). */
    private static final String NO_VECTOR_MODULE =
            "the module jdk.incubator.vector is not readable: run java with --add-modules jdk.incubator.vector";

    private SimdEngines() {
    }

    /**
     * The SIMD engine at the forced or preferred width, on all available processors.
     *
     * @throws IllegalStateException when the module {@code jdk.incubator.vector} is not readable, or when
     *                               {@code vconv.vector.bits=0} asks for the scalar engine
     */
    public static SimdConv2d simd() {
        requireVectorModule();
        int bits = forcedBits();
        if (bits == 0) {
            throw new IllegalStateException(WIDTH_PROPERTY + "=0 asks for the scalar engine: use scalar() or best()");
        }
        return simd(bits > 0 ? bits : preferredBits());
    }

    /**
     * The SIMD engine at {@code bits} (512, 256 or 128), on all available processors.
     *
     * @throws IllegalStateException when the module {@code jdk.incubator.vector} is not readable
     */
    public static SimdConv2d simd(int bits) {
        requireVectorModule();
        return new SimdConv2d(VectorWidth.ofBits(bits), Runtime.getRuntime().availableProcessors());
    }

    /**
     * The packed GEMM at {@code bits} as a {@link MatMul} ({@code C += op(A) op(B)} on plain row-major
     * matrices): what the training paths run on, and a stage to benchmark by itself. Not thread-safe: one per
     * thread (it owns its packing buffers).
     */
    public static MatMul matMul(int bits) {
        return new SimdGemm(VectorWidth.ofBits(bits));
    }

    /**
     * The GEMM micro-kernel the engine uses at {@code bits} (512, 256 or 128), for kernel benchmarks and tests:
     * its contract is {@link GemmKernel}.
     */
    public static GemmKernel gemmKernel(int bits) {
        return VectorWidth.ofBits(bits).gemm;
    }

    /**
     * The GEMM micro-kernels of {@code bits}: the main one first, then those for groups of few output channels
     * and for the pixel-rows path where they differ (512 bits: {@code f32_gemm_8x3v_512}, {@code f32_gemm_4x4v_512},
     * {@code f32_gemm_7x3v_512}).
     */
    public static java.util.List<GemmKernel> gemmKernels(int bits) {
        return VectorWidth.ofBits(bits).gemmKernels();
    }

    /** The scalar engine of core. */
    public static Conv2d scalar() {
        return Engines.scalar();
    }

    /** SIMD when it can run fast here (see {@link #whyNotSimd()}), else scalar. */
    public static Conv2d best() {
        return Best.ENGINE;
    }

    /**
     * Why {@link #best()} does not use SIMD, or {@code null} when it does: the width property says 0, the
     * {@code jdk.incubator.vector} module is not readable, the JIT is off or stops before C2, or the preferred
     * species is narrower than 128 bits.
     */
    public static String whyNotSimd() {
        int forced;
        try {
            forced = forcedBits();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (forced == 0) {
            return WIDTH_PROPERTY + "=0 asks for the scalar engine";
        }
        if (!vectorModuleReadable()) {
            return NO_VECTOR_MODULE;
        }
        String compiler = whyNoC2();
        if (compiler != null) {
            return compiler;
        }
        if (forced < 0 && preferredBits() < 128) {
            return "the CPU's preferred vector species is " + preferredBits() + " bits, narrower than the 128 the engine needs";
        }
        return null;
    }

    /**
     * On the class path without {@code --add-modules jdk.incubator.vector} the first Vector API class would
     * fail with a {@link NoClassDefFoundError}; this says why instead. On the module path {@code requires}
     * resolves the module.
     */
    private static void requireVectorModule() {
        if (!vectorModuleReadable()) {
            throw new IllegalStateException("the SIMD engine cannot run: " + NO_VECTOR_MODULE);
        }
    }

    private static boolean vectorModuleReadable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The forced width, -1 when the property is absent. */
    static int forcedBits() {
        String value = System.getProperty(WIDTH_PROPERTY);
        if (value == null) {
            return -1;
        }
        return switch (value.trim()) {
            case "512" -> 512;
            case "256" -> 256;
            case "128" -> 128;
            case "0" -> 0;
            default -> throw new IllegalArgumentException(WIDTH_PROPERTY + " must be 512, 256, 128 or 0, but got '" + value + "'");
        };
    }

    private static int preferredBits() {
        return Preferred.BITS;
    }

    /**
     * Why C2 will not compile the Vector API here, or {@code null}: read from the options the JVM runs with
     * (whatever the command line said, in whatever order), or, where the diagnostic bean is missing, from the
     * command line's flags.
     */
    static String whyNoC2() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint): the Vector API would be far slower than scalar code";
        }
        String useCompiler = vmOption("UseCompiler");
        if (useCompiler == null) {
            for (String flag : jvmFlags()) {
                if (flag.startsWith("-XX:TieredStopAtLevel=") && !flag.endsWith("=4")) {
                    return "C2 is off (" + flag + "): without it the Vector API is not compiled to vector instructions";
                }
            }
            return null;
        }
        if (useCompiler.equals("false")) {
            return "the JIT compiler is off (-XX:-UseCompiler): the Vector API would be far slower than scalar code";
        }
        String mode = vmOption("CompilationMode");
        if ("quick-only".equals(mode)) {
            return "C2 is off (-XX:CompilationMode=quick-only): without it the Vector API is not compiled to vector instructions";
        }
        String level = vmOption("TieredStopAtLevel");
        if ("true".equals(vmOption("TieredCompilation")) && level != null && !level.equals("4")) {
            return "C2 is off (-XX:TieredStopAtLevel=" + level + "): without it the Vector API is not compiled to vector instructions";
        }
        return null;
    }

    /** The value the JVM runs with of HotSpot option {@code name}, or null when it cannot be read. */
    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static List<String> jvmFlags() {
        try {
            return ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    /** The preferred species' width; in its own class so that nothing touches the Vector API before it is needed. */
    private static final class Preferred {
        static final int BITS = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    private static final class Best {
        static final Conv2d ENGINE = choose();

        private static Conv2d choose() {
            String why = whyNotSimd();
            if (why == null) {
                return simd();
            }
            // Each reason says what is wrong and, where there is one, the fix: nothing to add here.
            LOG.log(System.Logger.Level.WARNING, "vconv uses the scalar engine: " + why);
            return scalar();
        }
    }
}
