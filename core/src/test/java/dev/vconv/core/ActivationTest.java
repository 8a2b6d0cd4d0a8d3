package dev.vconv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Activation} against torch 1.13.1 (Debian's python3-torch, CPU): the edge cases as torch computed them,
 * hardswish and LeakyReLU bit for bit against torch's float32 kernels, the transcendental kinds within 1 ulp of
 * exact values, and {@link Erf} against glibc's {@code erf}/{@code erfc}.
 */
class ActivationTest {

    // Generated with /usr/bin/python3 and torch 1.13.1: X are float32 inputs; SILU, SIGMOID, TANH are torch's
    // float64 results rounded to float32; GELU is 0.5*x*erfc(-x/sqrt(2)) with glibc's erfc in double (torch's
    // float64 1 + erf cancels below x = -5); GELU_TANH is x / (1 + exp(-2u)) in 60-digit decimal arithmetic;
    // HARDSWISH_TORCH32 and LEAKY_0_01_TORCH32 are torch's float32 results on X32.
    static final float[] X = {-0x1.ep+2f, -0x1.5p+2f, -0x1.8p+1f, -0x1.6p+1f, -0x1.0p+0f, -0x1.333334p-2f, -0x1.0624dep-10f, 0x1.0624dep-10f, 0x1.333334p-2f, 0x1.0p+0f, 0x1.4p+1f, 0x1.8p+1f, 0x1.8p+2f, 0x1.fp+2f, -0x1.1c2dd4p+0f, 0x1.7db9eap+1f, 0x1.3f60e8p+0f, -0x1.dabfeep+0f, 0x1.021a22p+1f, -0x1.1668d6p+2f, 0x1.c7cbd4p+0f, -0x1.af7c38p+0f, 0x1.e4f4bcp+0f, 0x1.5138bcp+0f, -0x1.269fap+1f, 0x1.95c986p+0f, 0x1.0699b8p+0f, -0x1.f03ce6p+0f, 0x1.80388ep+2f, 0x1.33f3dep+1f};
    static final float[] SILU = {-0x1.0fb3a6p-8f, -0x1.c103acp-6f, -0x1.236272p-3f, -0x1.526874p-3f, -0x1.136562p-2f, -0x1.057668p-3f, -0x1.06035p-11f, 0x1.06466cp-11f, 0x1.60fp-3f, 0x1.764d5p-1f, 0x1.27b9b2p+1f, 0x1.6dc9d8p+1f, 0x1.7f0ceep+2f, 0x1.efc954p+2f, -0x1.19be3ap-2f, 0x1.6b505p+1f, 0x1.f03cb8p-1f, -0x1.0105d4p-2f, 0x1.c78e3ep+0f, -0x1.c6066ap-5f, 0x1.860c86p+0f, -0x1.0de2a6p-2f, 0x1.a58c82p+0f, 0x1.09f9d8p+0f, -0x1.acdec4p-3f, 0x1.50c606p+0f, 0x1.82996p-1f, -0x1.f37ecap-3f, 0x1.7f462ep+2f, 0x1.1a7a22p+1f};
    static final float[] SIGMOID = {0x1.21d0b2p-11f, 0x1.561b2ep-8f, 0x1.848344p-5f, 0x1.ec3ad6p-5f, 0x1.136562p-2f, 0x1.b3c558p-2f, 0x1.ffbe76p-2f, 0x1.0020c4p-1f, 0x1.261d54p-1f, 0x1.764d5p-1f, 0x1.d9291ep-1f, 0x1.e7b7ccp-1f, 0x1.febbe8p-1f, 0x1.ffc79p-1f, 0x1.fb9c78p-3f, 0x1.e74dc2p-1f, 0x1.8dc322p-1f, 0x1.153086p-3f, 0x1.c3d86ep-1f, 0x1.a17ae2p-7f, 0x1.b6253ep-1f, 0x1.403ee8p-3f, 0x1.bd0e92p-1f, 0x1.93d416p-1f, 0x1.74a5ccp-4f, 0x1.a8ec2p-1f, 0x1.78e1c6p-1f, 0x1.01ae3p-3f, 0x1.febd06p-1f, 0x1.d5a504p-1f};
    static final float[] TANH = {-0x1.ffffecp-1f, -0x1.fff8c8p-1f, -0x1.fd77d2p-1f, -0x1.fbd50ap-1f, -0x1.85efacp-1f, -0x1.2a4ddcp-2f, -0x1.0624d8p-10f, 0x1.0624d8p-10f, 0x1.2a4ddcp-2f, 0x1.85efacp-1f, 0x1.f92582p-1f, 0x1.fd77d2p-1f, 0x1.fffe64p-1f, 0x1.fffff4p-1f, -0x1.9bb182p-1f, 0x1.fd607p-1f, 0x1.b1f8d4p-1f, -0x1.e78274p-1f, 0x1.ee2ab8p-1f, -0x1.ffd45ap-1f, 0x1.e3b57ap-1f, -0x1.ddfcecp-1f, 0x1.e95852p-1f, 0x1.bb71f8p-1f, -0x1.f5d834p-1f, 0x1.d6bb06p-1f, 0x1.8b5f5p-1f, -0x1.eb37bp-1f, 0x1.fffe66p-1f, 0x1.f7bd0cp-1f};
    static final float[] GELU = {-0x1.0d7264p-42f, -0x1.acb3dep-22f, -0x1.096698p-8f, -0x1.0c832ep-7f, -0x1.44ed0cp-3f, -0x1.d582aep-4f, -0x1.05ef52p-11f, 0x1.065a6ap-11f, 0x1.7ba512p-3f, 0x1.aec4bep-1f, 0x1.3e034ep+1f, 0x1.7f7b4cp+1f, 0x1.8p+2f, 0x1.fp+2f, -0x1.2f7738p-3f, 0x1.7d2e1ap+1f, 0x1.1d7e94p+0f, -0x1.e3a1p-5f, 0x1.f8e924p+0f, -0x1.f073c2p-16f, 0x1.b6b416p+0f, -0x1.3d3542p-4f, 0x1.d6d96ap+0f, 0x1.3190bcp+0f, -0x1.929054p-6f, 0x1.7edf38p+0f, 0x1.bd1c02p-1f, -0x1.a1670ep-5f, 0x1.80388ep+2f, 0x1.3177eap+1f};
    static final float[] GELU_TANH = {-0x1.28592ap-58f, -0x1.54078ap-25f, -0x1.dcc2ap-9f, -0x1.fa24dcp-8f, -0x1.453d22p-3f, -0x1.d5854ep-4f, -0x1.05ef52p-11f, 0x1.065a6ap-11f, 0x1.7ba3c2p-3f, 0x1.aeb0b8p-1f, 0x1.3e11b8p+1f, 0x1.7f88dp+1f, 0x1.8p+2f, 0x1.fp+2f, -0x1.2fda84p-3f, 0x1.7d3bdp+1f, 0x1.1d6ff4p+0f, -0x1.e3d3cap-5f, 0x1.f8f07ep+0f, -0x1.8ca418p-17f, 0x1.b6aed6p+0f, -0x1.3dc96ep-4f, 0x1.d6d9fp+0f, 0x1.31818ap+0f, -0x1.8d000cp-6f, 0x1.7ed2cp+0f, 0x1.bd06cep-1f, -0x1.a108bep-5f, 0x1.80388ep+2f, 0x1.318508p+1f};
    static final float[] X32 = {-0x1.ep+2f, -0x1.5p+2f, -0x1.8p+1f, -0x1.6p+1f, -0x1.0p+0f, -0x1.333334p-2f, -0x1.0624dep-10f, 0x1.0624dep-10f, 0x1.333334p-2f, 0x1.0p+0f, 0x1.4p+1f, 0x1.8p+1f, 0x1.8p+2f, 0x1.fp+2f, -0x1.1c2dd4p+0f, 0x1.7db9eap+1f, 0x1.3f60e8p+0f, -0x1.dabfeep+0f, 0x1.021a22p+1f, -0x1.1668d6p+2f, 0x1.c7cbd4p+0f, -0x1.af7c38p+0f, 0x1.e4f4bcp+0f, 0x1.5138bcp+0f, -0x1.269fap+1f, 0x1.95c986p+0f, 0x1.0699b8p+0f, -0x1.f03ce6p+0f, 0x1.80388ep+2f, 0x1.33f3dep+1f, -0x1.800002p+1f, 0x1.7ffffep+1f, -0x1.7ffffep+1f};
    static final float[] HARDSWISH_TORCH32 = {-0x0.0p+0f, -0x0.0p+0f, -0x0.0p+0f, -0x1.d55556p-4f, -0x1.555556p-2f, -0x1.147ae2p-3f, -0x1.060e8p-11f, 0x1.063b3cp-11f, 0x1.51eb86p-3f, 0x1.555556p-1f, 0x1.255556p+1f, 0x1.8p+1f, 0x1.8p+2f, 0x1.fp+2f, -0x1.660d2ep-2f, 0x1.7c9898p+1f, 0x1.c431cap-1f, -0x1.6a8da8p-2f, 0x1.af954p+0f, -0x0.0p+0f, 0x1.6b26fp+0f, -0x1.7a20c6p-2f, 0x1.8b976ep+0f, 0x1.e54ae2p-1f, -0x1.124bc2p-2f, 0x1.3618a4p+0f, 0x1.60640ep-1f, -0x1.5f31c6p-2f, 0x1.80388ep+2f, 0x1.15758ap+1f, -0x0.0p+0f, 0x1.7ffffep+1f, -0x1.fffffep-24f};
    static final float[] LEAKY_0_01_TORCH32 = {-0x1.333332p-4f, -0x1.ae147ap-5f, -0x1.eb851ep-6f, -0x1.c28f5cp-6f, -0x1.47ae14p-7f, -0x1.89374cp-9f, -0x1.4f8b5ap-17f, 0x1.0624dep-10f, 0x1.333334p-2f, 0x1.0p+0f, 0x1.4p+1f, 0x1.8p+1f, 0x1.8p+2f, 0x1.fp+2f, -0x1.6bbfc8p-7f, 0x1.7db9eap+1f, 0x1.3f60e8p+0f, -0x1.2fd6fep-6f, 0x1.021a22p+1f, -0x1.645d3ap-5f, 0x1.c7cbd4p+0f, -0x1.14268ap-6f, 0x1.e4f4bcp+0f, 0x1.5138bcp+0f, -0x1.791e3cp-6f, 0x1.95c986p+0f, 0x1.0699b8p+0f, -0x1.3d979cp-6f, 0x1.80388ep+2f, 0x1.33f3dep+1f, -0x1.eb852p-6f, 0x1.7ffffep+1f, -0x1.eb851cp-6f};

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    /** One observed torch result: {@code activation(x)} is {@code expected}, sign of zero and NaN included. */
    private record Edge(Activation activation, float x, float expected) {
    }

    /** What torch 1.13.1 returned for these inputs (float32 tensors of 10 and of 74 elements, same results). */
    private static final List<Edge> TORCH_EDGES = List.of(
            new Edge(Activation.relu(), NAN, NAN), new Edge(Activation.relu(), INF, INF),
            new Edge(Activation.relu(), -INF, 0f), new Edge(Activation.relu(), 0f, 0f),
            new Edge(Activation.relu(), -0f, -0f), new Edge(Activation.relu(), -1f, 0f),
            new Edge(Activation.relu6(), NAN, NAN), new Edge(Activation.relu6(), INF, 6f),
            new Edge(Activation.relu6(), -INF, 0f), new Edge(Activation.relu6(), -0f, -0f),
            new Edge(Activation.relu6(), -2.5f, 0f), new Edge(Activation.relu6(), 3f, 3f),
            new Edge(Activation.clamp(-1f, 1f), NAN, NAN), new Edge(Activation.clamp(-1f, 1f), -0f, -0f),
            new Edge(Activation.clamp(-1f, 1f), -INF, -1f), new Edge(Activation.clamp(-1f, 1f), INF, 1f),
            new Edge(Activation.clamp(-0f, 6f), -1f, -0f), new Edge(Activation.clamp(-0f, 6f), 0f, 0f),
            new Edge(Activation.clamp(-0f, 6f), -INF, -0f),
            new Edge(Activation.leakyRelu(0.01f), NAN, NAN), new Edge(Activation.leakyRelu(0.01f), -0f, -0f),
            new Edge(Activation.leakyRelu(0.01f), 0f, 0f), new Edge(Activation.leakyRelu(0.01f), -INF, -INF),
            new Edge(Activation.leakyRelu(-0.5f), 0f, -0f), new Edge(Activation.leakyRelu(-0.5f), -0f, 0f),
            new Edge(Activation.leakyRelu(-0.5f), -INF, INF), new Edge(Activation.leakyRelu(-0.5f), -3f, 1.5f),
            new Edge(Activation.leakyRelu(0f), -INF, NAN), new Edge(Activation.leakyRelu(0f), -1f, -0f),
            new Edge(Activation.hardswish(), NAN, NAN), new Edge(Activation.hardswish(), INF, INF),
            new Edge(Activation.hardswish(), -INF, NAN), new Edge(Activation.hardswish(), 0f, 0f),
            new Edge(Activation.hardswish(), -0f, -0f), new Edge(Activation.hardswish(), -3f, -0f),
            new Edge(Activation.hardswish(), 1f, 0.6666666865348816f), new Edge(Activation.hardswish(), -2.5f, -0.2083333283662796f),
            new Edge(Activation.silu(), NAN, NAN), new Edge(Activation.silu(), INF, INF),
            new Edge(Activation.silu(), -INF, NAN), new Edge(Activation.silu(), -0f, -0f),
            new Edge(Activation.silu(), 0f, 0f), new Edge(Activation.silu(), -200f, -0f),
            new Edge(Activation.sigmoid(), NAN, NAN), new Edge(Activation.sigmoid(), INF, 1f),
            new Edge(Activation.sigmoid(), -INF, 0f), new Edge(Activation.sigmoid(), -0f, 0.5f),
            new Edge(Activation.sigmoid(), -200f, 0f),
            new Edge(Activation.tanh(), NAN, NAN), new Edge(Activation.tanh(), INF, 1f),
            new Edge(Activation.tanh(), -INF, -1f), new Edge(Activation.tanh(), -0f, -0f),
            new Edge(Activation.tanh(), -20f, -1f),
            new Edge(Activation.gelu(), NAN, NAN), new Edge(Activation.gelu(), INF, INF),
            new Edge(Activation.gelu(), -INF, NAN), new Edge(Activation.gelu(), 0f, 0f),
            new Edge(Activation.gelu(), 20f, 20f), new Edge(Activation.gelu(), -200f, -0f),
            new Edge(Activation.geluTanh(), NAN, NAN), new Edge(Activation.geluTanh(), INF, INF),
            new Edge(Activation.geluTanh(), -INF, NAN), new Edge(Activation.geluTanh(), -0f, -0f),
            new Edge(Activation.geluTanh(), 0f, 0f), new Edge(Activation.geluTanh(), -200f, -0f),
            new Edge(Activation.geluTanh(), 20f, 20f));

    @Test
    void edgeCasesAreTorchs() {
        for (Edge e : TORCH_EDGES) {
            float got = e.activation().apply(e.x());
            assertTrue(Float.floatToIntBits(got) == Float.floatToIntBits(e.expected()) || (Float.isNaN(got) && Float.isNaN(e.expected())),
                    e.activation() + "(" + e.x() + ") = " + got + ", torch gives " + e.expected());
        }
    }

    /** Where torch's float32 kernel is not exact, apply follows the exact function: the sign of x for gelu(-0.0). */
    @Test
    void geluKeepsTheSignOfANegativeZeroAndTheTinyNegativeTail() {
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Activation.gelu().apply(-0f)));
        float tail = Activation.gelu().apply(-10f);   // -10 * erfc(10/sqrt 2)/2 = -7.62e-23; torch float32 gives +0.0
        assertEquals(-7.6198530241605e-23, tail, 1e-27);
    }

    @Test
    void hardswishAndLeakyReluAreTorchsFloat32BitForBit() {
        for (int i = 0; i < X32.length; i++) {
            assertEquals(Float.floatToIntBits(HARDSWISH_TORCH32[i]), Float.floatToIntBits(Activation.hardswish().apply(X32[i])),
                    "hardswish(" + X32[i] + ")");
            assertEquals(Float.floatToIntBits(LEAKY_0_01_TORCH32[i]), Float.floatToIntBits(Activation.leakyRelu(0.01f).apply(X32[i])),
                    "leakyRelu(0.01)(" + X32[i] + ")");
        }
    }

    @Test
    void transcendentalKindsAreWithinOneUlpOfTheExactValue() {
        assertWithinOneUlp(Activation.silu(), SILU);
        assertWithinOneUlp(Activation.sigmoid(), SIGMOID);
        assertWithinOneUlp(Activation.tanh(), TANH);
        assertWithinOneUlp(Activation.gelu(), GELU);
        assertWithinOneUlp(Activation.geluTanh(), GELU_TANH);
    }

    private static void assertWithinOneUlp(Activation activation, float[] expected) {
        for (int i = 0; i < X.length; i++) {
            float got = activation.apply(X[i]);
            assertTrue(Math.abs((double) got - expected[i]) <= Math.ulp(expected[i]),
                    activation + "(" + X[i] + ") = " + got + ", exact " + expected[i]);
        }
    }

    /** glibc's erf and erfc (Python's math module) at points across both expansions and their boundary. */
    @Test
    void erfAndErfcMatchGlibc() {
        double[][] table = {
                {0.0, 0.0, 1.0}, {1e-300, 1.1283791670955126e-300, 1.0}, {1e-10, 1.1283791670955126e-10, 0.999999999887162},
                {0.001, 0.0011283787909692365, 0.9988716212090307}, {0.1, 0.1124629160182849, 0.8875370839817152},
                {0.25, 0.2763263901682369, 0.7236736098317631}, {0.5, 0.5204998778130465, 0.4795001221869535},
                {0.75, 0.7111556336535151, 0.28884436634648486}, {1.0, 0.8427007929497149, 0.15729920705028513},
                {1.25, 0.9229001282564582, 0.07709987174354177}, {1.5, 0.9661051464753108, 0.033894853524689274},
                {1.75, 0.9866716712191824, 0.013328328780817555}, {1.999, 0.9953015566513705, 0.004698443348629488},
                {2.0, 0.9953222650189527, 0.004677734981047265}, {2.001, 0.9953428907185247, 0.00465710928147535},
                {2.5, 0.999593047982555, 0.0004069520174449589}, {3.0, 0.9999779095030014, 2.2090496998585438e-05},
                {3.5, 0.9999992569016276, 7.430983723414128e-07}, {4.0, 0.9999999845827421, 1.541725790028002e-08},
                {5.0, 0.9999999999984626, 1.5374597944280351e-12}, {6.0, 1.0, 2.1519736712498916e-17},
                {8.0, 1.0, 1.1224297172982928e-29}, {10.0, 1.0, 2.088487583762545e-45}, {15.0, 1.0, 7.212994172451206e-100},
                {20.0, 1.0, 5.3958656116079005e-176}, {26.0, 1.0, 5.663192408856143e-296},
                {-0.5, -0.5204998778130465, 1.5204998778130465}, {-1.0, -0.8427007929497149, 1.842700792949715},
                {-2.5, -0.999593047982555, 1.999593047982555}, {-4.0, -0.9999999845827421, 1.999999984582742},
                {-6.0, -1.0, 2.0}};
        for (double[] row : table) {
            double x = row[0];
            assertClose(row[1], Erf.erf(x), 16, "erf(" + x + ")");
            assertClose(row[2], Erf.erfc(x), 16, "erfc(" + x + ")");
        }
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)) && Double.isNaN(Erf.erfc(Double.NaN)));
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Erf.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, Erf.erfc(Double.NEGATIVE_INFINITY));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(Erf.erf(-0.0)));
    }

    private static void assertClose(double expected, double got, int ulps, String what) {
        assertTrue(Math.abs(expected - got) <= ulps * Math.ulp(expected), what + " = " + got + ", glibc " + expected
                + " (" + Math.abs(expected - got) / Math.ulp(expected) + " ulps)");
    }

    @Test
    void badParametersNameTheParameterTheValueAndTheRule() {
        assertMessage(() -> Activation.clamp(Float.NaN, 1f), "clamp bounds must not be NaN", "min=NaN");
        assertMessage(() -> Activation.clamp(0f, Float.NaN), "clamp bounds must not be NaN", "max=NaN");
        assertMessage(() -> Activation.clamp(2f, 1f), "min <= max", "min=2.0", "max=1.0");
        assertMessage(() -> Activation.leakyRelu(Float.NaN), "negative_slope must be finite", "negative_slope=NaN");
        assertMessage(() -> Activation.leakyRelu(Float.NEGATIVE_INFINITY), "negative_slope must be finite", "-Infinity");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Activation.relu().min());
        assertTrue(e.getMessage().contains("min is a parameter of CLAMP") && e.getMessage().contains("relu"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Activation.clamp(0f, 1f).negativeSlope());
        assertThrows(IllegalStateException.class, () -> Activation.leakyRelu(0.1f).max());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
        }
    }

    @Test
    void valuesCompareByKindAndParameters() {
        assertEquals(Activation.relu6(), Activation.clamp(0f, 6f));
        assertEquals(Activation.relu6().hashCode(), Activation.clamp(0f, 6f).hashCode());
        assertNotEquals(Activation.clamp(0f, 6f), Activation.clamp(-0f, 6f));
        assertNotEquals(Activation.relu(), Activation.clamp(0f, Float.POSITIVE_INFINITY));
        assertEquals(Activation.leakyRelu(0.01f), Activation.leakyRelu(0.01f));
        assertNotEquals(Activation.leakyRelu(0.01f), Activation.leakyRelu(0.02f));
        assertEquals(Activation.Kind.CLAMP, Activation.relu6().kind());
        assertEquals(6f, Activation.relu6().max());
        assertEquals(-1f, Activation.clamp(-1f, 2f).min());
        assertEquals(0.2f, Activation.leakyRelu(0.2f).negativeSlope());
        assertEquals("relu6", Activation.relu6().toString());
        assertEquals("clamp(-1.0, 2.0)", Activation.clamp(-1f, 2f).toString());
        assertEquals("leakyRelu(0.01)", Activation.leakyRelu(0.01f).toString());
        assertEquals("geluTanh", Activation.geluTanh().toString());
        assertTrue(Activation.Kind.HARDSWISH.isExact() && !Activation.Kind.GELU.isExact());
    }
}
