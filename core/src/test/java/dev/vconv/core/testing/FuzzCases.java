package dev.vconv.core.testing;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Random convolutions for the property-based tests (jqwik): every parameter of {@link ConvSpec} and
 * {@link ConvTransposeSpec} drawn from its range, with a bound on the reference's cost so that a run stays
 * fast.
 *
 * <p>Each case is built from a flat list of small integers (one per parameter), so jqwik shrinks a failure
 * parameter by parameter down to a minimal spec, which the case's {@code toString} prints in PyTorch's words.
 * Combinations that the validation rejects are repaired rather than discarded where the repair is obvious (an
 * input too small for the kernel or for reflect padding grows to the smallest size that is valid), so nearly
 * every draw is a real comparison; cases over the cost bound are filtered out during generation.
 */
public final class FuzzCases {

    /** The system property of the long run: the total tries, shared among the properties by their weights. */
    public static final String TRIES_PROPERTY = "vconv.fuzz.tries";

    private FuzzCases() {
    }

    /** A forward (or backward) case: a spec, an input shape it accepts, and the seed of its operands. */
    public record Case(ConvSpec spec, Shape input, long seed) {
        /** FLOPs of one forward call. */
        public long flops() {
            return spec.flops(input);
        }

        @Override
        public String toString() {
            return spec + " on input " + input + " (seed " + seed + ")";
        }
    }

    /** A transposed case: a spec, an input shape it accepts, and the seed of its operands. */
    public record TransposeCase(ConvTransposeSpec spec, Shape input, long seed) {
        @Override
        public String toString() {
            return spec + " on input " + input + " (seed " + seed + ")";
        }
    }

    /**
     * Forward cases over kernel 1..7 per dimension, stride 1..4, dilation 1..4, padding none / symmetric /
     * asymmetric / 'same' / 'valid' in every mode, groups 1, a divisor up to 8, depthwise and depthwise with
     * channel multiplier 2 or 3, bias on and off, batch 1..3 or unbatched, spatial 1..40 and channels 1..40,
     * whose forward call costs at most {@code maxFlops}.
     */
    public static Arbitrary<Case> conv(long maxFlops) {
        return conv(0, maxFlops);
    }

    /** As {@link #conv(long)}, costing at least {@code minFlops} (to reach an engine's parallel path). */
    public static Arbitrary<Case> conv(long minFlops, long maxFlops) {
        // Channels and spatial sizes lean small (biased distribution) but reach 40: most convolutions of that range
        // are far over any CI budget, and the small ones are where the tails and borders are.
        Arbitrary<Integer> channels = Arbitraries.integers().between(1, 40).withDistribution(RandomDistribution.biased());
        Arbitrary<Integer> spatial = Arbitraries.integers().between(1, 40).withDistribution(RandomDistribution.biased());
        List<Arbitrary<Integer>> params = List.of(
                Arbitraries.integers().between(0, 3),    // 0 batch: 0 = unbatched [c, h, w], else n
                Arbitraries.integers().between(0, 5),    // 1 groups: 0-2 one group, 3 a divisor, 4 depthwise, 5 depthwise x multiplier
                Arbitraries.integers().between(1, 8),    // 2 groups (kind 1) or channel multiplier - 1 (kind 3)
                channels,                                // 3 in channels (per group, kind 1)
                channels,                                // 4 out channels (per group, kind 1)
                small(7),                                // 5 kernel height
                small(7),                                // 6 kernel width
                small(4),                                // 7 stride height
                small(4),                                // 8 stride width
                small(4),                                // 9 dilation height
                small(4),                                // 10 dilation width
                Arbitraries.integers().between(0, 4),    // 11 padding kind: none, symmetric, asymmetric, same, valid
                Arbitraries.integers().between(0, 6),    // 12 padding top (or height)
                Arbitraries.integers().between(0, 6),    // 13 padding bottom (or width)
                Arbitraries.integers().between(0, 6),    // 14 padding left
                Arbitraries.integers().between(0, 6),    // 15 padding right
                Arbitraries.integers().between(0, 3),    // 16 padding mode
                Arbitraries.integers().between(0, 1),    // 17 bias
                spatial,                                 // 18 height
                spatial,                                 // 19 width
                Arbitraries.integers().between(0, 1 << 20), // 20 seed
                Arbitraries.integers().between(0, 5));   // 21 0 = pointwise-shaped (1x1, stride 1, no padding), else as drawn
        return Combinators.combine(params).as(FuzzCases::makeConv).filter(c -> c.flops() >= minFlops && c.flops() <= maxFlops);
    }

    /**
     * 1..max, leaning to 1: kernel, stride and dilation 1 are the common case and the one the fast paths (1x1,
     * stride 1) take, which uniform draws over seven kernel sizes and four strides would rarely reach.
     */
    private static Arbitrary<Integer> small(int max) {
        return Arbitraries.integers().between(1, max).withDistribution(RandomDistribution.biased());
    }

    private static Case makeConv(List<Integer> v) {
        int batch = v.get(0);
        int groupsKind = Math.max(0, v.get(1) - 2);
        int cin;
        int cout;
        int groups;
        switch (groupsKind) {
            case 0 -> {
                groups = 1;
                cin = v.get(3);
                cout = v.get(4);
            }
            case 1 -> {
                groups = v.get(2);
                cin = groups * Math.max(1, v.get(3) / groups);
                cout = groups * Math.max(1, v.get(4) / groups);
            }
            case 2 -> {
                groups = v.get(3);
                cin = groups;
                cout = groups;
            }
            default -> {
                groups = v.get(3);
                cin = groups;
                cout = groups * (2 + v.get(2) % 2); // channel multiplier 2 or 3
            }
        }
        boolean pointwise = v.get(21) == 0; // the 1x1 fast path is too rare a corner of the space to leave to chance
        int kh = pointwise ? 1 : v.get(5);
        int kw = pointwise ? 1 : v.get(6);
        int sh = pointwise ? 1 : v.get(7);
        int sw = pointwise ? 1 : v.get(8);
        int dh = v.get(9);
        int dw = v.get(10);
        int padKind = pointwise ? 0 : v.get(11);
        PaddingMode mode = PaddingMode.values()[v.get(16)];
        if (padKind == 3) { // 'same' exists only for stride 1
            sh = 1;
            sw = 1;
        }
        ConvSpec.Builder b = ConvSpec.builder(cin, cout, kh, kw).stride(sh, sw).dilation(dh, dw).groups(groups)
                .bias(v.get(17) == 1).paddingMode(mode);
        switch (padKind) {
            case 0 -> b.padding(0);
            case 1 -> b.padding(v.get(12), v.get(13));
            case 2 -> b.padding(v.get(12), v.get(13), v.get(14), v.get(15));
            case 3 -> b.paddingSame();
            default -> b.paddingValid();
        }
        ConvSpec spec = b.build();
        // Repairs: grow the input to the smallest size the kernel and the padding mode accept.
        int h = v.get(18);
        int w = v.get(19);
        h = Math.max(h, spec.dilatedKernelH() - spec.padTop() - spec.padBottom());
        w = Math.max(w, spec.dilatedKernelW() - spec.padLeft() - spec.padRight());
        if (mode == PaddingMode.REFLECT) {
            h = Math.max(h, Math.max(spec.padTop(), spec.padBottom()) + 1);
            w = Math.max(w, Math.max(spec.padLeft(), spec.padRight()) + 1);
        } else if (mode == PaddingMode.CIRCULAR) {
            h = Math.max(h, Math.max(spec.padTop(), spec.padBottom()));
            w = Math.max(w, Math.max(spec.padLeft(), spec.padRight()));
        }
        Shape input = batch == 0 ? Shape.of(cin, h, w) : Shape.of(batch, cin, h, w);
        spec.checkInput(input); // a repair that misses is a bug of this generator: let it show
        return new Case(spec, input, v.get(20));
    }

    /**
     * Transposed cases: kernel 1..7, stride 1..4, dilation 1..4, padding 0..6, every valid output padding,
     * groups as in {@link #conv}, bias on and off, batch 1..3 or unbatched, spatial 1..20, channels 1..40, at most
     * {@code maxFlops} (counted as the adjoint forward convolution's).
     */
    public static Arbitrary<TransposeCase> transposed(long maxFlops) {
        Arbitrary<Integer> channels = Arbitraries.integers().between(1, 40).withDistribution(RandomDistribution.biased());
        Arbitrary<Integer> spatial = Arbitraries.integers().between(1, 20).withDistribution(RandomDistribution.biased());
        List<Arbitrary<Integer>> params = List.of(
                Arbitraries.integers().between(0, 3),    // 0 batch (0 = unbatched)
                Arbitraries.integers().between(0, 3),    // 1 groups kind
                Arbitraries.integers().between(1, 8),    // 2 groups / multiplier
                channels,                                // 3 in channels
                channels,                                // 4 out channels
                Arbitraries.integers().between(1, 7),    // 5 kernel height
                Arbitraries.integers().between(1, 7),    // 6 kernel width
                Arbitraries.integers().between(1, 4),    // 7 stride height
                Arbitraries.integers().between(1, 4),    // 8 stride width
                Arbitraries.integers().between(1, 4),    // 9 dilation height
                Arbitraries.integers().between(1, 4),    // 10 dilation width
                Arbitraries.integers().between(0, 6),    // 11 padding height
                Arbitraries.integers().between(0, 6),    // 12 padding width
                Arbitraries.integers().between(0, 3),    // 13 output padding height (reduced below max(stride, dilation))
                Arbitraries.integers().between(0, 3),    // 14 output padding width
                Arbitraries.integers().between(0, 1),    // 15 bias
                spatial,                                 // 16 height
                spatial,                                 // 17 width
                Arbitraries.integers().between(0, 1 << 20)); // 18 seed
        return Combinators.combine(params).as(FuzzCases::makeTransposed)
                .filter(c -> c != null && transposeFlops(c) <= maxFlops);
    }

    private static TransposeCase makeTransposed(List<Integer> v) {
        int groupsKind = v.get(1);
        int groups = switch (groupsKind) {
            case 0 -> 1;
            case 1 -> v.get(2);
            default -> v.get(3);
        };
        int cin = switch (groupsKind) {
            case 0 -> v.get(3);
            case 1 -> groups * Math.max(1, v.get(3) / groups);
            default -> groups;
        };
        int cout = switch (groupsKind) {
            case 0 -> v.get(4);
            case 1 -> groups * Math.max(1, v.get(4) / groups);
            case 2 -> groups;
            default -> groups * (2 + v.get(2) % 2);
        };
        int sh = v.get(7);
        int sw = v.get(8);
        int dh = v.get(9);
        int dw = v.get(10);
        int oph = v.get(13) % Math.max(sh, dh);
        int opw = v.get(14) % Math.max(sw, dw);
        ConvTransposeSpec spec = ConvTransposeSpec.builder(cin, cout, v.get(5), v.get(6)).stride(sh, sw).dilation(dh, dw)
                .padding(v.get(11), v.get(12)).outputPadding(oph, opw).groups(groups).bias(v.get(15) == 1).build();
        int h = v.get(16);
        int w = v.get(17);
        // Grow the input until the cropped output is at least 1 x 1 (the padding may crop everything).
        while (spec.outputHeight(h) < 1) {
            h++;
        }
        while (spec.outputWidth(w) < 1) {
            w++;
        }
        Shape input = v.get(0) == 0 ? Shape.of(cin, h, w) : Shape.of(v.get(0), cin, h, w);
        spec.outputShape(input);
        return new TransposeCase(spec, input, v.get(18));
    }

    /** FLOPs of a transposed case: {@code 2 * n * cin * h * w * (cout/groups) * kh * kw}. */
    public static long transposeFlops(TransposeCase c) {
        int[] d = c.input().dims();
        long n = d.length == 4 ? d[0] : 1;
        long hw = (long) d[d.length - 2] * d[d.length - 1];
        ConvTransposeSpec s = c.spec();
        return 2L * n * s.inChannels() * hw * s.outChannelsPerGroup() * s.kernelH() * s.kernelW();
    }

    /** Which special values a numerics case plants, and where. */
    public enum Special { NAN, POSITIVE_INFINITY, NEGATIVE_INFINITY, NEGATIVE_ZERO, SUBNORMAL, HUGE }

    public static void makePositive(float[] data) {
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.abs(data[i]);
        }
    }

    /**
     * Plants special values: a few positions of NaN or an infinity; every element -0.0 or subnormal where that is
     * the point; huge values (about 1e30, one sign per array; the caller makes the other operand positive, so that no sum
     * cancels catastrophically) everywhere.
     */
    public static void plant(float[] data, Special special, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        switch (special) {
            case NAN, POSITIVE_INFINITY, NEGATIVE_INFINITY -> {
                float v = special == Special.NAN ? Float.NaN : special == Special.POSITIVE_INFINITY
                        ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
                    data[random.nextInt(data.length)] = v;
                }
            }
            case NEGATIVE_ZERO -> {
                for (int i = 0; i < data.length; i++) {
                    if (random.nextBoolean()) {
                        data[i] = -0.0f;
                    }
                }
            }
            case SUBNORMAL -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = Float.MIN_VALUE * (1 + random.nextInt(1 << 20)) * (random.nextBoolean() ? 1 : -1);
                }
            }
            case HUGE -> {
                float sign = random.nextBoolean() ? 1 : -1;
                for (int i = 0; i < data.length; i++) {
                    data[i] = sign * 1e30f * (float) (0.5 + random.nextDouble());
                }
            }
        }
        if (data.length == 0) {
            throw new AssertionError("nothing to plant in");
        }
    }

    /**
     * Compares an engine's output with the reference's where the operands hold NaN, infinities, -0.0, subnormals
     * or huge values: where the reference is NaN the engine is NaN; where it is an infinity the engine has the
     * same infinity; where it is finite the engine is finite and within {@code 1e-4 * sqrt(K) * (1 + |ref|)}.
     * {@code alternative} (or null) is the reference computed with the zero padding materialised
     * ({@link #zeroPaddedReference}): an engine that multiplies the padding's zeros may match it instead, since
     * a non-finite weight times a padded zero is NaN there while the reference skips padded taps.
     */
    public static void assertSameNumerics(Object c, Tensor expected, Tensor alternative, Tensor actual, long k) {
        float[] e = expected.data();
        float[] alt = alternative == null ? null : alternative.data();
        float[] a = actual.data();
        double scale = 1e-4 * Math.sqrt(Math.max(1, k));
        for (int i = 0; i < e.length; i++) {
            if (!sameNumber(e[i], a[i], scale) && (alt == null || !sameNumber(alt[i], a[i], scale))) {
                throw new AssertionError("at " + ConvAsserts.position(expected.shape(), i) + ": reference " + e[i]
                        + (alt == null ? "" : " (with multiplied padding: " + alt[i] + ")") + ", engine " + a[i] + " for " + c);
            }
        }
    }

    private static boolean sameNumber(float ref, float got, double scale) {
        if (Float.isNaN(ref)) {
            return Float.isNaN(got);
        }
        if (Float.isInfinite(ref)) {
            return got == ref;
        }
        return Float.isFinite(got) && Math.abs((double) got - ref) <= scale * (1 + Math.abs((double) ref));
    }

    /**
     * The reference forward on the input with its zero padding written out (an unpadded spec on a padded copy),
     * so that padded taps are multiplied like any other; {@code null} unless the spec zero-pads.
     */
    public static Tensor zeroPaddedReference(ConvSpec spec, Tensor input, Tensor weight, Tensor bias) {
        if (spec.paddingMode() != PaddingMode.ZEROS || !spec.hasPadding()) {
            return null;
        }
        int[] d = input.shape().dims();
        int rank = d.length;
        int planes = input.size() / (d[rank - 2] * d[rank - 1]);
        int h = d[rank - 2];
        int w = d[rank - 1];
        int ph = h + spec.padTop() + spec.padBottom();
        int pw = w + spec.padLeft() + spec.padRight();
        float[] padded = new float[planes * ph * pw];
        float[] x = input.data();
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(x, (p * h + y) * w, padded, (p * ph + y + spec.padTop()) * pw + spec.padLeft(), w);
            }
        }
        int[] pd = d.clone();
        pd[rank - 2] = ph;
        pd[rank - 1] = pw;
        ConvSpec unpadded = ConvSpec.builder(spec.inChannels(), spec.outChannels(), spec.kernelH(), spec.kernelW())
                .stride(spec.strideH(), spec.strideW()).dilation(spec.dilationH(), spec.dilationW()).groups(spec.groups())
                .bias(spec.hasBias()).padding(0).build();
        return dev.vconv.core.Engines.reference().forward(unpadded, Tensor.of(padded, pd), weight, bias);
    }

    /**
     * The tries of a fuzz property: {@link #ci} in {@code ./mvnw test}; with {@code -Dvconv.fuzz.tries=N}, the
     * property's {@link #share} of {@code N} (a module's shares add up to 1, so its properties together try
     * {@code N} cases). Needs {@link Budget} on the class.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface Tries {
        int ci();

        double share();
    }

    /** Sets each property's tries from its {@link Tries} and {@value #TRIES_PROPERTY}. */
    public static final class Budget implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            Tries tries = context.targetMethod().getAnnotation(Tries.class);
            if (tries != null) {
                context.attributes().setTries(tries(tries));
            }
            return property.execute();
        }

        @Override
        public PropagationMode propagateTo() {
            return PropagationMode.ALL_DESCENDANTS; // registered on the test class, applies to its properties
        }

        @Override
        public int aroundPropertyProximity() {
            return -100; // outermost: the tries must be set before jqwik's own hooks read them
        }

        static int tries(Tries tries) {
            String total = System.getProperty(TRIES_PROPERTY);
            if (total == null || total.isBlank() || tries.share() <= 0) { // share 0: the CI count in every run
                return tries.ci();
            }
            long n = Long.parseLong(total.trim());
            return (int) Math.max(1, Math.round(n * tries.share()));
        }
    }
}
