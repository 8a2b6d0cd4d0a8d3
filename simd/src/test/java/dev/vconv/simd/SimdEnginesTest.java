package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The engine factory: names, widths, threads and the {@code vconv.vector.bits} property. Whether {@code best()}
 * falls back when the Vector API is unusable cannot be tried in this JVM (it has the module and C2); its
 * reasons are covered here through {@link SimdEngines#whyNotSimd()} and the property, and in child JVMs
 * without the module or C2 by {@link BestEngineFallbackTest}.
 */
@Isolated
class SimdEnginesTest {
    private final String saved = System.getProperty(SimdEngines.WIDTH_PROPERTY);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(SimdEngines.WIDTH_PROPERTY);
        } else {
            System.setProperty(SimdEngines.WIDTH_PROPERTY, saved);
        }
    }

    @Test
    void enginesAreNamedForTheirWidth() {
        assertEquals("simd-512", SimdEngines.simd(512).name());
        assertEquals("simd-256", SimdEngines.simd(256).name());
        assertEquals("simd-128", SimdEngines.simd(128).name());
        assertEquals(128, SimdEngines.simd(128).vectorBits());
    }

    @Test
    void anUnknownWidthIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SimdEngines.simd(64));
        assertThrows(IllegalArgumentException.class, () -> SimdEngines.simd(1024));
        assertThrows(IllegalArgumentException.class, () -> SimdEngines.gemmKernel(0));
    }

    @Test
    void threadsAreAtLeastOne() {
        assertEquals(3, SimdEngines.simd(256).withThreads(3).threads());
        assertThrows(IllegalArgumentException.class, () -> SimdEngines.simd(256).withThreads(0));
    }

    @Test
    void theWidthPropertyIsParsed() {
        System.clearProperty(SimdEngines.WIDTH_PROPERTY);
        assertEquals(-1, SimdEngines.forcedBits());
        for (String bits : new String[] {"512", "256", "128"}) {
            System.setProperty(SimdEngines.WIDTH_PROPERTY, bits);
            assertEquals(Integer.parseInt(bits), SimdEngines.forcedBits());
            assertEquals("simd-" + bits, SimdEngines.simd().name());
            assertNull(SimdEngines.whyNotSimd());
        }
        System.setProperty(SimdEngines.WIDTH_PROPERTY, " 256 ");
        assertEquals(256, SimdEngines.forcedBits());
    }

    @Test
    void widthZeroMeansScalar() {
        System.setProperty(SimdEngines.WIDTH_PROPERTY, "0");
        assertEquals(0, SimdEngines.forcedBits());
        assertTrue(SimdEngines.whyNotSimd().contains("scalar"));
        assertThrows(IllegalStateException.class, SimdEngines::simd);
    }

    @Test
    void aBadWidthPropertyIsRejectedWithItsValue() {
        System.setProperty(SimdEngines.WIDTH_PROPERTY, "300");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SimdEngines::forcedBits);
        assertTrue(e.getMessage().contains("'300'"), e.getMessage());
        assertTrue(SimdEngines.whyNotSimd().contains("'300'"));
    }

    @Test
    void withoutThePropertyTheWidthIsThePreferredSpecies() {
        System.clearProperty(SimdEngines.WIDTH_PROPERTY);
        assertEquals(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize(), SimdEngines.simd().vectorBits());
    }

    @Test
    void coreFindsTheSimdEngineThroughTheProvider() {
        assertSame(SimdEngines.best(), new SimdConv2dProvider().engine());
        assertTrue(Engines.best().name().startsWith("simd-") || Engines.best() == Engines.scalar(), Engines.best().name());
    }
}
