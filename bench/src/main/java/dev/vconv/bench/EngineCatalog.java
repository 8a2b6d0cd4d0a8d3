package dev.vconv.bench;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Engines;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engines the tools can run, by name: {@code reference}, {@code scalar}, {@code simd} (the SIMD engine at
 * its preferred width, or the width forced by {@code -Dvconv.vector.bits}) and {@code simd-128},
 * {@code simd-256}, {@code simd-512} (a forced width).
 *
 * <p>The SIMD engine is looked up by reflection on {@code dev.vconv.simd.SimdEngines} rather than called
 * directly: the {@code simd} module is written and re-installed while these tools are in use, and the
 * conformance runner must build and run against core alone, saying clearly why SIMD is missing.
 */
public final class EngineCatalog {

    /** The names {@link #find} accepts, for usage text. */
    public static final String NAMES = "reference|scalar|simd|simd-128|simd-256|simd-512";

    private static final String SIMD_CLASS = "dev.vconv.simd.SimdEngines";

    private EngineCatalog() {
    }

    /** An engine, or the reason it cannot be had on this JVM. */
    public record Lookup(Conv2d engine, String unavailableReason) {
        public Optional<Conv2d> asOptional() {
            return Optional.ofNullable(engine);
        }
    }

    /**
     * Finds an engine by name.
     *
     * @throws IllegalArgumentException if {@code name} is not one of {@link #NAMES}
     */
    public static Lookup find(String name) {
        return switch (name) {
            case "reference" -> new Lookup(Engines.reference(), null);
            case "scalar" -> new Lookup(Engines.scalar(), null);
            case "simd" -> simd(null);
            case "simd-128" -> simd(128);
            case "simd-256" -> simd(256);
            case "simd-512" -> simd(512);
            default -> throw new IllegalArgumentException("engine must be one of " + NAMES + ", but got '" + name + "'");
        };
    }

    /** Every engine available here: reference, scalar and, when the simd module provides it, simd. */
    public static List<Conv2d> available() {
        List<Conv2d> engines = new ArrayList<>(List.of(Engines.reference(), Engines.scalar()));
        simd(null).asOptional().ifPresent(engines::add);
        return engines;
    }

    /** Why {@code simd} is unavailable, or {@code null} when it is available. */
    public static String simdUnavailableReason() {
        return simd(null).unavailableReason();
    }

    /** {@code SimdEngines.simd()} when {@code bits} is null, else {@code SimdEngines.simd(bits)}. */
    private static Lookup simd(Integer bits) {
        String call = bits == null ? "simd()" : "simd(" + bits + ")";
        try {
            Class<?> engines = Class.forName(SIMD_CLASS);
            Method factory = bits == null ? engines.getMethod("simd") : engines.getMethod("simd", int.class);
            Object engine = bits == null ? factory.invoke(null) : factory.invoke(null, bits);
            if (!(engine instanceof Conv2d conv)) {
                return new Lookup(null, SIMD_CLASS + "." + call + " returned " + engine + ", not a Conv2d");
            }
            return new Lookup(conv, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return new Lookup(null, "the simd engine is not available: class " + SIMD_CLASS
                    + " is not on the class path (the simd module does not provide it yet)");
        } catch (NoSuchMethodException e) {
            return new Lookup(null, "the simd engine is not available: " + SIMD_CLASS + " has no static " + call);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            return new Lookup(null, "the simd engine is not available: " + SIMD_CLASS + "." + call + " failed: "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (IllegalAccessException e) {
            return new Lookup(null, "the simd engine is not available: " + SIMD_CLASS + "." + call + " is not accessible");
        }
    }
}
