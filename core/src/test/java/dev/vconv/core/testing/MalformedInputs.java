package dev.vconv.core.testing;

import dev.vconv.core.Activation;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTranspose2d;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.MatMul;
import dev.vconv.core.ScalarGemm;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of malformed inputs: each row a name, a call, the exception it must raise (an
 * {@link IllegalArgumentException}, or a {@link NullPointerException} for a null) and fragments of the message
 * that name the parameter, the value and the rule. {@link #check} runs a row on an engine and proves that
 * nothing it was given changed: the caller's output is not partly written, the input, weight and bias are
 * unchanged (checksums of every tensor the row made, before and after).
 */
public final class MalformedInputs {

    private MalformedInputs() {
    }

    /**
     * Which engines a row applies to: any; those with a backward pass; those with a backward pass through a column
     * buffer (im2col), every one but the reference, whose loop nest needs none; the transposed convolution; the
     * scalar engine.
     */
    public enum Scope { ANY, BACKWARD, COLUMN_BUFFER, TRANSPOSED, SCALAR }

    /** A call on an engine with tensors from a fixture. */
    @FunctionalInterface
    public interface Call {
        void run(Conv2d engine, Fixture f) throws Exception;
    }

    /** One malformed input. */
    public record Row(String name, Scope scope, Class<? extends RuntimeException> type, List<String> fragments, Call call) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Seeded tensors, each remembered with a checksum so that {@link #assertUntouched} can prove none changed. */
    public static final class Fixture {
        private final Map<Tensor, Long> sums = new IdentityHashMap<>();
        private long seed = 11;

        /** A registered random tensor. */
        public Tensor t(int... dims) {
            return register(Tensor.random(seed++, dims));
        }

        /** A registered tensor over an existing array (for aliasing rows). */
        public Tensor over(float[] data, int... dims) {
            return register(Tensor.of(data, dims));
        }

        private Tensor register(Tensor t) {
            sums.put(t, ConvAsserts.checksum(t.data()));
            return t;
        }

        void assertUntouched(Row row, Conv2d engine) {
            for (Map.Entry<Tensor, Long> e : sums.entrySet()) {
                if (ConvAsserts.checksum(e.getKey().data()) != e.getValue()) {
                    throw new AssertionError(engine.name() + ", " + row.name() + ": a rejected call changed a " + e.getKey());
                }
            }
        }
    }

    /** Whether {@code row} applies to {@code engine}. */
    public static boolean appliesTo(Row row, Conv2d engine) {
        return switch (row.scope()) {
            case ANY -> true;
            case BACKWARD -> engine instanceof Conv2dBackward;
            case COLUMN_BUFFER -> engine instanceof Conv2dBackward && !engine.name().equals("reference");
            case TRANSPOSED -> engine instanceof ConvTranspose2d;
            case SCALAR -> engine.name().equals("scalar");
        };
    }

    /** Runs a row on an engine: the exact exception type, every message fragment, and no operand changed. */
    public static void check(Row row, Conv2d engine) {
        Fixture f = new Fixture();
        Throwable thrown = null;
        try {
            row.call().run(engine, f);
        } catch (Throwable t) {
            thrown = t;
        }
        String where = engine.name() + ", " + row.name();
        if (thrown == null) {
            throw new AssertionError(where + ": no exception, expected " + row.type().getSimpleName());
        }
        if (thrown.getClass() != row.type()) {
            AssertionError e = new AssertionError(where + ": threw " + thrown + ", expected " + row.type().getSimpleName());
            e.initCause(thrown);
            throw e;
        }
        String message = String.valueOf(thrown.getMessage());
        for (String fragment : row.fragments()) {
            if (!message.contains(fragment)) {
                throw new AssertionError(where + ": message \"" + message + "\" does not contain \"" + fragment + "\"");
            }
        }
        f.assertUntouched(row, engine);
    }

    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<NullPointerException> NPE = NullPointerException.class;

    /** The base layer: 4 -> 6 channels in 2 groups, 3x3, padding 1, bias; input [2, 4, 7, 7], output [2, 6, 7, 7]. */
    static ConvSpec base() {
        return ConvSpec.builder(4, 6, 3).padding(1).groups(2).build();
    }

    /** A square layer (4 -> 4, output the input's shape), for aliasing rows. */
    static ConvSpec square() {
        return ConvSpec.builder(4, 4, 3).padding(1).groups(2).bias(false).build();
    }

    static void fwd(Conv2d e, Fixture f, ConvSpec spec, Tensor input) {
        e.forward(spec, input, f.t(spec.weightShape().dims()), spec.hasBias() ? f.t(spec.outChannels()) : null,
                f.t(spec.outputShape(input.shape()).dims()));
    }

    static ConvTranspose2d tr(Conv2d e) {
        return (ConvTranspose2d) e;
    }

    /** Every row. */
    public static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        // --- the spec's own parameters
        r.add(new Row("in_channels zero", Scope.ANY, IAE, List.of("in_channels", "in_channels=0", "positive"),
                (e, f) -> ConvSpec.builder(0, 4, 3).build()));
        r.add(new Row("in_channels negative", Scope.ANY, IAE, List.of("in_channels=-3", "positive"),
                (e, f) -> ConvSpec.builder(-3, 4, 3).build()));
        r.add(new Row("out_channels zero", Scope.ANY, IAE, List.of("out_channels=0", "positive"),
                (e, f) -> ConvSpec.builder(4, 0, 3).build()));
        r.add(new Row("groups zero", Scope.ANY, IAE, List.of("groups=0", "positive"),
                (e, f) -> ConvSpec.builder(4, 4, 3).groups(0).build()));
        r.add(new Row("groups negative", Scope.ANY, IAE, List.of("groups=-1", "positive"),
                (e, f) -> ConvSpec.builder(4, 4, 3).groups(-1).build()));
        r.add(new Row("groups not dividing in_channels", Scope.ANY, IAE, List.of("in_channels must be divisible by groups", "in_channels=4", "groups=3"),
                (e, f) -> ConvSpec.builder(4, 6, 3).groups(3).build()));
        r.add(new Row("groups not dividing out_channels", Scope.ANY, IAE, List.of("out_channels must be divisible by groups", "out_channels=3", "groups=2"),
                (e, f) -> ConvSpec.builder(4, 3, 3).groups(2).build()));
        r.add(new Row("kernel height zero", Scope.ANY, IAE, List.of("kernel_size must be positive", "kernel_size=(0, 3)"),
                (e, f) -> ConvSpec.builder(1, 1, 0, 3).build()));
        r.add(new Row("kernel width negative", Scope.ANY, IAE, List.of("kernel_size must be positive", "kernel_size=(3, -1)"),
                (e, f) -> ConvSpec.builder(1, 1, 3, -1).build()));
        r.add(new Row("stride zero", Scope.ANY, IAE, List.of("non-positive stride", "stride=(0, 1)"),
                (e, f) -> ConvSpec.builder(1, 1, 3).stride(0, 1).build()));
        r.add(new Row("stride negative", Scope.ANY, IAE, List.of("non-positive stride", "stride=(1, -2)"),
                (e, f) -> ConvSpec.builder(1, 1, 3).stride(1, -2).build()));
        r.add(new Row("dilation zero", Scope.ANY, IAE, List.of("dilation should be greater than zero", "dilation=(0, 1)"),
                (e, f) -> ConvSpec.builder(1, 1, 3).dilation(0, 1).build()));
        r.add(new Row("dilation negative", Scope.ANY, IAE, List.of("dilation should be greater than zero", "dilation=(1, -1)"),
                (e, f) -> ConvSpec.builder(1, 1, 3).dilation(1, -1).build()));
        r.add(new Row("padding negative top", Scope.ANY, IAE, List.of("negative padding", "top=-1"),
                (e, f) -> ConvSpec.builder(1, 1, 3).padding(-1, 0, 0, 0).build()));
        r.add(new Row("padding negative right", Scope.ANY, IAE, List.of("negative padding", "right=-5"),
                (e, f) -> ConvSpec.builder(1, 1, 3).padding(0, 0, 0, -5).build()));
        r.add(new Row("'same' with stride 2", Scope.ANY, IAE, List.of("padding='same'", "strided", "stride=(2, 2)"),
                (e, f) -> ConvSpec.builder(1, 1, 3).stride(2).paddingSame().build()));
        r.add(new Row("'same' with stride 3 in width only", Scope.ANY, IAE, List.of("padding='same'", "stride=(1, 3)"),
                (e, f) -> ConvSpec.builder(1, 1, 3).stride(1, 3).paddingSame().build()));
        r.add(new Row("dilation Integer.MAX_VALUE overflows the kernel span", Scope.ANY, IAE, List.of("dilated kernel size", "4294967295", "too large"),
                (e, f) -> ConvSpec.builder(1, 1, 3).dilation(Integer.MAX_VALUE).build()));
        r.add(new Row("dilation 2^30 in width overflows the kernel span", Scope.ANY, IAE, List.of("dilated kernel size", "2147483649"),
                (e, f) -> ConvSpec.builder(1, 1, 3).dilation(1, 1 << 30).build()));
        r.add(new Row("padding above Integer.MAX_VALUE / 4", Scope.ANY, IAE, List.of("padding must be at most 536870911", "left=536870912"),
                (e, f) -> ConvSpec.builder(1, 1, 3).padding(0, 0, Integer.MAX_VALUE / 4 + 1, 0).build()));
        r.add(new Row("weight element count overflows int (channels)", Scope.ANY, IAE, List.of("weight of size [65536, 65536, 1, 1]", "4294967296 elements"),
                (e, f) -> ConvSpec.builder(65536, 65536, 1).build()));
        r.add(new Row("weight element count overflows int (kernel)", Scope.ANY, IAE, List.of("weight of size [1, 1, 50000, 50000]", "2500000000 elements"),
                (e, f) -> ConvSpec.builder(1, 1, 50000, 50000).build()));
        r.add(new Row("null padding mode", Scope.ANY, NPE, List.of("paddingMode"),
                (e, f) -> ConvSpec.builder(1, 1, 3).paddingMode(null)));
        // --- shapes and arrays
        r.add(new Row("negative size in a shape", Scope.ANY, IAE, List.of("non-negative", "[2, -4, 7, 7]"),
                (e, f) -> Shape.of(2, -4, 7, 7)));
        r.add(new Row("element count 2^32 wraps int to 0", Scope.ANY, IAE, List.of("[65536, 65536]", "2147483639"),
                (e, f) -> Tensor.of(new float[0], 65536, 65536)));
        r.add(new Row("element count 2^32 over three sizes", Scope.ANY, IAE, List.of("[2048, 2048, 1024]", "more than"),
                (e, f) -> Shape.of(2048, 2048, 1024)));
        r.add(new Row("element count just above the array limit", Scope.ANY, IAE, List.of("[46341, 46341]", "more than"),
                (e, f) -> Shape.of(46341, 46341)));
        r.add(new Row("array too short for its shape", Scope.ANY, IAE, List.of("data of length 391", "[2, 4, 7, 7]", "exactly 392"),
                (e, f) -> Tensor.of(new float[391], 2, 4, 7, 7)));
        r.add(new Row("array too long for its shape", Scope.ANY, IAE, List.of("data of length 393", "exactly 392"),
                (e, f) -> Tensor.of(new float[393], 2, 4, 7, 7)));
        r.add(new Row("null data", Scope.ANY, NPE, List.of("data"), (e, f) -> Tensor.of(null, 1, 1)));
        r.add(new Row("null shape", Scope.ANY, NPE, List.of("shape"), (e, f) -> Tensor.of(new float[1], (Shape) null)));
        r.add(new Row("null dims", Scope.ANY, NPE, List.of("dims"), (e, f) -> Shape.of((int[]) null)));
        // --- the input against the spec
        r.add(new Row("input of rank 2", Scope.ANY, IAE, List.of("Expected 3D (unbatched) or 4D (batched) input", "[7, 7]"),
                (e, f) -> e.forward(base(), f.t(7, 7), f.t(6, 2, 3, 3), f.t(6), f.t(6, 7, 7))));
        r.add(new Row("input of rank 5", Scope.ANY, IAE, List.of("Expected 3D (unbatched) or 4D (batched) input", "[1, 2, 4, 7, 7]"),
                (e, f) -> e.forward(base(), f.t(1, 2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), f.t(2, 6, 7, 7))));
        r.add(new Row("input channels disagree with the weight", Scope.ANY, IAE, List.of("groups=2", "expected input[2, 3, 7, 7] to have 4 channels, but got 3"),
                (e, f) -> e.forward(base(), f.t(2, 3, 7, 7), f.t(6, 2, 3, 3), f.t(6), f.t(2, 6, 7, 7))));
        r.add(new Row("input of height zero", Scope.ANY, IAE, List.of("non-zero height and width", "[2, 4, 0, 7]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 0, 7), f.t(6, 2, 3, 3), f.t(6), f.t(2, 6, 0, 7))));
        r.add(new Row("kernel larger than the input", Scope.ANY, IAE, List.of("padded input size per channel: (2 x 2)", "Kernel size: (3 x 3)", "can't be greater"),
                (e, f) -> fwd(e, f, ConvSpec.builder(1, 1, 3).build(), f.t(1, 1, 2, 2))));
        r.add(new Row("dilated kernel larger than the padded input", Scope.ANY, IAE, List.of("(7 x 7)", "Kernel size: (9 x 9)", "can't be greater"),
                (e, f) -> fwd(e, f, ConvSpec.builder(1, 1, 3).dilation(4).padding(1).build(), f.t(1, 1, 5, 5))));
        r.add(new Row("reflect padding equal to the input height", Scope.ANY, IAE, List.of("Padding size should be less than", "padding (2, 2)", "dimension 2", "reflect"),
                (e, f) -> fwd(e, f, ConvSpec.builder(1, 1, 3).padding(2).paddingMode(PaddingMode.REFLECT).build(), f.t(1, 1, 2, 6))));
        r.add(new Row("reflect padding larger than the input width", Scope.ANY, IAE, List.of("Padding size should be less than", "padding (0, 4)", "dimension 3"),
                (e, f) -> fwd(e, f, ConvSpec.builder(1, 1, 3).padding(0, 0, 0, 4).paddingMode(PaddingMode.REFLECT).build(), f.t(1, 1, 6, 3))));
        r.add(new Row("reflect 'same' padding on a too small input", Scope.ANY, IAE, List.of("Padding size should be less than", "padding (3, 3)"),
                (e, f) -> fwd(e, f, ConvSpec.builder(1, 1, 7).paddingSame().paddingMode(PaddingMode.REFLECT).build(), f.t(1, 1, 3, 3))));
        r.add(new Row("circular padding wrapping twice in width", Scope.ANY, IAE, List.of("wrapping around more than once", "width", "padding (3, 3)", "width 2"),
                (e, f) -> fwd(e, f, ConvSpec.builder(1, 1, 3).padding(0, 3).paddingMode(PaddingMode.CIRCULAR).build(), f.t(1, 1, 6, 2))));
        r.add(new Row("circular padding wrapping twice in height, stride 3", Scope.ANY, IAE, List.of("wrapping around more than once", "height", "padding (5, 0)", "height 4"),
                (e, f) -> fwd(e, f, ConvSpec.builder(1, 1, 3).stride(3).padding(5, 0, 0, 0).paddingMode(PaddingMode.CIRCULAR).build(), f.t(1, 1, 4, 6))));
        r.add(new Row("padded width overflows an int index", Scope.ANY, IAE, List.of("padded input size", "must stay below 2147483639"),
                (e, f) -> e.plan(ConvSpec.builder(1, 1, 1).padding(0, 0, Integer.MAX_VALUE / 4, Integer.MAX_VALUE / 4).bias(false).build(),
                        Shape.of(1, 1, 1, 1 << 30), f.t(1, 1, 1, 1), null)));
        r.add(new Row("output element count overflows (huge padding)", Scope.ANY, IAE, List.of("output of input [1, 1, 1, 1]", "elements, more than a Java array can hold"),
                (e, f) -> e.plan(ConvSpec.builder(1, 1, 1).padding(Integer.MAX_VALUE / 4).bias(false).build(), Shape.of(1, 1, 1, 1), f.t(1, 1, 1, 1), null)));
        r.add(new Row("output element count overflows (huge spatial size)", Scope.ANY, IAE, List.of("output of input [1, 1, 40000, 40000]", "3200000000 elements"),
                (e, f) -> e.plan(ConvSpec.builder(1, 2, 1).bias(false).build(), Shape.of(1, 1, 40000, 40000), f.t(2, 1, 1, 1), null)));
        r.add(new Row("im2col buffer overflows an array", Scope.SCALAR, IAE, List.of("im2col buffer", "more than a Java array can hold"),
                (e, f) -> e.plan(ConvSpec.builder(4096, 1, 7).bias(false).build(), Shape.of(1, 4096, 110, 110), f.t(1, 4096, 7, 7), null)));
        // --- weight, bias and output against the spec
        r.add(new Row("weight of the wrong kernel size", Scope.ANY, IAE, List.of("weight must have size", "[6, 2, 3, 3]", "[6, 2, 3, 2]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 2), f.t(6), f.t(2, 6, 7, 7))));
        r.add(new Row("weight ignoring groups", Scope.ANY, IAE, List.of("in_channels/groups", "[6, 4, 3, 3]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 4, 3, 3), f.t(6), f.t(2, 6, 7, 7))));
        r.add(new Row("weight of rank 3", Scope.ANY, IAE, List.of("weight must have size", "[6, 2, 9]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 9), f.t(6), f.t(2, 6, 7, 7))));
        r.add(new Row("bias missing", Scope.ANY, IAE, List.of("bias of size [6] is required", "bias=true", "bias=null"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), null, f.t(2, 6, 7, 7))));
        r.add(new Row("bias given to a spec without bias", Scope.ANY, IAE, List.of("bias must be null", "bias=false", "[6]"),
                (e, f) -> e.forward(base().toBuilder().bias(false).build(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), f.t(2, 6, 7, 7))));
        r.add(new Row("bias of the wrong length", Scope.ANY, IAE, List.of("bias must have size [out_channels] = [6]", "[5]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(5), f.t(2, 6, 7, 7))));
        r.add(new Row("bias of rank 2", Scope.ANY, IAE, List.of("bias must have size [out_channels] = [6]", "[1, 6]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(1, 6), f.t(2, 6, 7, 7))));
        r.add(new Row("output of the wrong width", Scope.ANY, IAE, List.of("output must have size [2, 6, 7, 7]", "[2, 6, 7, 6]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), f.t(2, 6, 7, 6))));
        r.add(new Row("output with too few channels", Scope.ANY, IAE, List.of("output must have size [2, 6, 7, 7]", "[2, 5, 7, 7]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), f.t(2, 5, 7, 7))));
        r.add(new Row("output of another batch size", Scope.ANY, IAE, List.of("output must have size [2, 6, 7, 7]", "[1, 6, 7, 7]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), f.t(1, 6, 7, 7))));
        r.add(new Row("unbatched output for a batched input", Scope.ANY, IAE, List.of("output must have size [1, 6, 7, 7]", "[6, 7, 7]"),
                (e, f) -> e.forward(base(), f.t(1, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), f.t(6, 7, 7))));
        r.add(new Row("output aliasing the input", Scope.ANY, IAE, List.of("output must not share its array with the input"),
                (e, f) -> {
                    Tensor in = f.t(2, 4, 7, 7);
                    e.forward(square(), in, f.t(4, 2, 3, 3), null, f.over(in.data(), 2, 4, 7, 7));
                }));
        r.add(new Row("output aliasing the weight", Scope.ANY, IAE, List.of("output must not share its array", "weight"),
                (e, f) -> {
                    Tensor w = f.t(2, 1, 1, 1);
                    e.forward(ConvSpec.builder(1, 2, 1).bias(false).build(), f.t(1, 1, 1, 1), w, null, f.over(w.data(), 1, 2, 1, 1));
                }));
        r.add(new Row("output aliasing the bias", Scope.ANY, IAE, List.of("output must not share its array", "bias"),
                (e, f) -> {
                    Tensor b = f.t(4);
                    e.forward(ConvSpec.builder(1, 4, 1).build(), f.t(1, 1, 1, 1), f.t(4, 1, 1, 1), b, f.over(b.data(), 1, 4, 1, 1));
                }));
        // --- nulls in calls
        r.add(new Row("null input", Scope.ANY, NPE, List.of("input"),
                (e, f) -> e.forward(base(), null, f.t(6, 2, 3, 3), f.t(6), f.t(2, 6, 7, 7))));
        r.add(new Row("null weight", Scope.ANY, NPE, List.of("weight"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), null, f.t(6), f.t(2, 6, 7, 7))));
        r.add(new Row("null output", Scope.ANY, NPE, List.of("output"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), null)));
        r.add(new Row("null spec", Scope.ANY, NPE, List.of("spec"),
                (e, f) -> e.forward(null, f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), f.t(2, 6, 7, 7))));
        // --- plans
        r.add(new Row("plan used with another batch size", Scope.ANY, IAE, List.of("this plan was made for input of size [2, 4, 7, 7]", "[3, 4, 7, 7]"),
                (e, f) -> e.plan(base(), Shape.of(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6)).forward(f.t(3, 4, 7, 7), f.t(3, 6, 7, 7))));
        r.add(new Row("plan used with another image size", Scope.ANY, IAE, List.of("this plan was made for input of size [2, 4, 7, 7]", "[2, 4, 8, 7]"),
                (e, f) -> e.plan(base(), Shape.of(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6)).forward(f.t(2, 4, 8, 7), f.t(2, 6, 8, 7))));
        r.add(new Row("plan given an output of the wrong size", Scope.ANY, IAE, List.of("output must have size [2, 6, 7, 7]", "[2, 6, 7, 8]"),
                (e, f) -> e.plan(base(), Shape.of(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6)).forward(f.t(2, 4, 7, 7), f.t(2, 6, 7, 8))));
        r.add(new Row("plan given an output aliasing its input", Scope.ANY, IAE, List.of("output must not share its array with the input"),
                (e, f) -> {
                    Tensor in = f.t(2, 4, 7, 7);
                    e.plan(square(), in.shape(), f.t(4, 2, 3, 3), null).forward(in, f.over(in.data(), 2, 4, 7, 7));
                }));
        r.add(new Row("plan given a null input", Scope.ANY, NPE, List.of("input"),
                (e, f) -> e.plan(base(), Shape.of(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6)).forward(null, f.t(2, 6, 7, 7))));
        r.add(new Row("plan made with a weight of the wrong size", Scope.ANY, IAE, List.of("weight must have size", "[6, 2, 3, 3]", "[6, 2, 1, 1]"),
                (e, f) -> e.plan(base(), Shape.of(2, 4, 7, 7), f.t(6, 2, 1, 1), f.t(6))));
        r.add(new Row("plan made for a null input shape", Scope.ANY, NPE, List.of("input"),
                (e, f) -> e.plan(base(), null, f.t(6, 2, 3, 3), f.t(6))));
        r.add(new Row("plan made for an input the kernel does not fit", Scope.ANY, IAE, List.of("Kernel size can't be greater"),
                (e, f) -> e.plan(ConvSpec.builder(1, 1, 5).bias(false).build(), Shape.of(1, 1, 4, 9), f.t(1, 1, 5, 5), null)));
        // --- epilogues
        Epilogue reluResidual = Epilogue.of(Activation.relu()).withResidual();
        r.add(new Row("clamp with min > max", Scope.ANY, IAE, List.of("min <= max", "min=6.0", "max=0.0"),
                (e, f) -> Activation.clamp(6f, 0f)));
        r.add(new Row("clamp with a NaN bound", Scope.ANY, IAE, List.of("must not be NaN", "max=NaN"),
                (e, f) -> Activation.clamp(0f, Float.NaN)));
        r.add(new Row("leaky ReLU with a NaN slope", Scope.ANY, IAE, List.of("negative_slope must be finite", "negative_slope=NaN"),
                (e, f) -> Activation.leakyRelu(Float.NaN)));
        r.add(new Row("residual alpha infinite", Scope.ANY, IAE, List.of("alpha must be finite", "alpha=Infinity"),
                (e, f) -> Epilogue.NONE.withResidual(Float.POSITIVE_INFINITY)));
        r.add(new Row("residual of the wrong size", Scope.ANY, IAE, List.of("residual must have the output's size [2, 6, 7, 7]", "[2, 6, 7, 6]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), reluResidual, f.t(2, 6, 7, 6), f.t(2, 6, 7, 7))));
        r.add(new Row("residual missing", Scope.ANY, IAE, List.of("residual of size [2, 6, 7, 7] is required", "residual=null"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), reluResidual, null, f.t(2, 6, 7, 7))));
        r.add(new Row("residual given to an epilogue without one", Scope.ANY, IAE, List.of("residual must be null", "relu", "adds no residual"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), Epilogue.of(Activation.relu()), f.t(2, 6, 7, 7),
                        f.t(2, 6, 7, 7))));
        r.add(new Row("epilogue call with a bad weight", Scope.ANY, IAE, List.of("weight must have size", "[6, 2, 3, 2]"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 2), f.t(6), reluResidual, f.t(2, 6, 7, 7), f.t(2, 6, 7, 7))));
        r.add(new Row("null epilogue", Scope.ANY, NPE, List.of("epilogue"),
                (e, f) -> e.forward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), null, null, f.t(2, 6, 7, 7))));
        r.add(new Row("plan with a residual called without one", Scope.ANY, IAE, List.of("adds a residual", "forward(input, residual, output)"),
                (e, f) -> e.plan(base(), Shape.of(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), reluResidual).forward(f.t(2, 4, 7, 7), f.t(2, 6, 7, 7))));
        r.add(new Row("plan with a residual given one of the wrong size", Scope.ANY, IAE, List.of("residual must have the output's size", "[1, 6, 7, 7]"),
                (e, f) -> e.plan(base(), Shape.of(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), reluResidual)
                        .forward(f.t(2, 4, 7, 7), f.t(1, 6, 7, 7), f.t(2, 6, 7, 7))));
        r.add(new Row("plain plan given a residual", Scope.ANY, IAE, List.of("residual must be null"),
                (e, f) -> e.plan(base(), Shape.of(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6)).forward(f.t(2, 4, 7, 7), f.t(2, 6, 7, 7), f.t(2, 6, 7, 7))));
        r.add(new Row("plan with a null epilogue", Scope.ANY, NPE, List.of("epilogue"),
                (e, f) -> e.plan(base(), Shape.of(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(6), null)));
        // --- backward
        r.add(new Row("gradOutput of the wrong size", Scope.BACKWARD, IAE, List.of("gradOutput must have the output's size [2, 6, 7, 7]", "[2, 6, 7, 6]"),
                (e, f) -> ((Conv2dBackward) e).backward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), f.t(2, 6, 7, 6))));
        r.add(new Row("null gradOutput", Scope.BACKWARD, NPE, List.of("gradOutput"),
                (e, f) -> ((Conv2dBackward) e).backward(base(), f.t(2, 4, 7, 7), f.t(6, 2, 3, 3), null)));
        r.add(new Row("backward with a weight of the wrong size", Scope.BACKWARD, IAE, List.of("weight must have size", "[6, 2, 3, 3]", "[6, 4, 3, 3]"),
                (e, f) -> ((Conv2dBackward) e).backward(base(), f.t(2, 4, 7, 7), f.t(6, 4, 3, 3), f.t(2, 6, 7, 7))));
        // Column buffers (K x P) over 2^31 elements: K*P wraps to a negative int, or past 2^32 to a small positive one.
        ConvSpec wide = ConvSpec.builder(1, 1, 45).paddingSame().bias(false).build();       // K = 2025, P = 1.1e6
        r.add(new Row("backward column buffer over 2^31 elements", Scope.COLUMN_BUFFER, IAE,
                List.of("column buffer", "2025 x 1100000", "more than a Java array can hold"),
                (e, f) -> ((Conv2dBackward) e).backward(wide, f.t(1, 1, 1100, 1000), f.t(1, 1, 45, 45), f.t(1, 1, 1100, 1000))));
        ConvSpec wraps = ConvSpec.builder(1, 1, 64).paddingSame().bias(false).build();      // K*P = 2^32 + 2^22
        r.add(new Row("backward plan whose column buffer wraps past 2^32", Scope.COLUMN_BUFFER, IAE,
                List.of("column buffer", "4096 x 1049600", "more than a Java array can hold"),
                (e, f) -> ((Conv2dBackward) e).backwardPlan(wraps, Shape.of(1, 1, 1025, 1024), f.t(1, 1, 64, 64))
                        .backward(f.t(1, 1, 1025, 1024), f.t(1, 1, 1025, 1024), f.t(1, 1, 1025, 1024), f.t(1, 1, 64, 64), null)));
        // --- transposed convolution
        r.add(new Row("output_padding not smaller than stride or dilation", Scope.ANY, IAE, List.of("output padding must be smaller than either stride or dilation", "output_padding_height: 2", "stride_height: 2"),
                (e, f) -> ConvTransposeSpec.builder(2, 2, 3).stride(2).outputPadding(2, 0).build()));
        r.add(new Row("negative output_padding", Scope.ANY, IAE, List.of("negative output_padding", "output_padding=(0, -1)"),
                (e, f) -> ConvTransposeSpec.builder(2, 2, 3).outputPadding(0, -1).build()));
        r.add(new Row("transposed with reflect padding", Scope.ANY, IAE, List.of("Only \"zeros\" padding mode", "padding_mode='reflect'"),
                (e, f) -> ConvTransposeSpec.builder(2, 2, 3).paddingMode(PaddingMode.REFLECT).build()));
        r.add(new Row("transposed groups not dividing", Scope.ANY, IAE, List.of("in_channels must be divisible by groups", "groups=2"),
                (e, f) -> ConvTransposeSpec.builder(3, 2, 3).groups(2).build()));
        r.add(new Row("transposed output cropped to nothing", Scope.TRANSPOSED, IAE, List.of("Calculated output size per channel: (-4 x -4)", "too small"),
                (e, f) -> {
                    ConvTransposeSpec s = ConvTransposeSpec.builder(1, 1, 1).padding(3).bias(false).build();
                    tr(e).forward(s, f.t(1, 1, 2, 2), f.t(1, 1, 1, 1), null, f.t(1, 1, 1, 1));
                }));
        r.add(new Row("requested output size out of range", Scope.ANY, IAE, List.of("requested an output size of [12, 9]", "valid sizes range from [9, 9] to [10, 10]"),
                (e, f) -> ConvTransposeSpec.builder(1, 1, 3).stride(2).build().withOutputSize(Shape.of(1, 1, 4, 4), 12, 9)));
        r.add(new Row("transposed weight in the forward layout", Scope.TRANSPOSED, IAE, List.of("[in_channels, out_channels/groups, kh, kw] = [2, 3, 3, 3]", "[3, 2, 3, 3]"),
                (e, f) -> {
                    ConvTransposeSpec s = ConvTransposeSpec.builder(2, 3, 3).bias(false).build();
                    tr(e).forward(s, f.t(1, 2, 4, 4), f.t(3, 2, 3, 3), null, f.t(1, 3, 6, 6));
                }));
        r.add(new Row("transposed output of the wrong size", Scope.TRANSPOSED, IAE, List.of("output must have size [1, 3, 6, 6]", "[1, 3, 6, 5]"),
                (e, f) -> {
                    ConvTransposeSpec s = ConvTransposeSpec.builder(2, 3, 3).bias(false).build();
                    tr(e).forward(s, f.t(1, 2, 4, 4), f.t(2, 3, 3, 3), null, f.t(1, 3, 6, 5));
                }));
        r.add(new Row("transposed output aliasing the input", Scope.TRANSPOSED, IAE, List.of("output must not share its array with the input"),
                (e, f) -> {
                    ConvTransposeSpec s = ConvTransposeSpec.builder(2, 2, 1).bias(false).build();
                    Tensor in = f.t(1, 2, 4, 4);
                    tr(e).forward(s, in, f.t(2, 2, 1, 1), null, f.over(in.data(), 1, 2, 4, 4));
                }));
        r.add(new Row("transposed output size overflows (stride 2^30)", Scope.ANY, IAE, List.of("output of conv_transpose2d on input [1, 1, 5, 5]", "more than a Java array can hold"),
                (e, f) -> ConvTransposeSpec.builder(1, 1, 1).stride(1 << 30).build().outputShape(Shape.of(1, 1, 5, 5))));
        r.add(new Row("requested output size for a rank-1 input", Scope.ANY, IAE, List.of("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d", "[4]"),
                (e, f) -> ConvTransposeSpec.builder(1, 1, 3).stride(2).build().withOutputSize(Shape.of(4), 9, 9)));
        r.add(new Row("requested output size for an input of other channels", Scope.ANY, IAE, List.of("to have 1 channels, but got 2"),
                (e, f) -> ConvTransposeSpec.builder(1, 1, 3).stride(2).build().withOutputSize(Shape.of(1, 2, 4, 4), 9, 9)));
        r.addAll(matMulRows("matmul", MatMul.scalar()));
        r.add(new Row("scalar GEMM with ldc smaller than n", Scope.ANY, IAE, List.of("ldc must be >= 3", "ldc=2"),
                (e, f) -> ScalarGemm.multiplyAdd(2, 3, 2, new float[4], 0, 2, new float[6], 0, 3, f.t(2, 3).data(), 0, 2)));
        r.add(new Row("transposed input channels disagree", Scope.ANY, IAE, List.of("transposed=1", "to have 2 channels, but got 3"),
                (e, f) -> ConvTransposeSpec.builder(2, 2, 3).build().outputShape(Shape.of(1, 3, 4, 4))));
        return r;
    }

    /**
     * The rows of a public matrix product {@code mm} ({@code C[m x n] += A[m x k] * B[k x n]}): every {@link MatMul}
     * checks its arguments before it touches an array. Each row's name starts with {@code name}.
     */
    public static List<Row> matMulRows(String name, MatMul mm) {
        List<Row> r = new ArrayList<>();
        r.add(new Row(name + " with a negative size", Scope.ANY, IAE, List.of("m, n and k must be >= 0", "m=-1"),
                (e, f) -> mm.multiplyAdd(-1, 2, 2, new float[4], 0, 2, false, new float[4], 0, 2, false, f.t(2, 2).data(), 0, 2)));
        r.add(new Row(name + " with lda smaller than k", Scope.ANY, IAE, List.of("lda must be >= 3", "A [2 x 3]", "lda=2"),
                (e, f) -> mm.multiplyAdd(2, 2, 3, new float[6], 0, 2, false, new float[6], 0, 2, false, f.t(2, 2).data(), 0, 2)));
        r.add(new Row(name + " with a transposed A's lda smaller than m", Scope.ANY, IAE, List.of("lda must be >= 4", "transposed", "lda=3"),
                (e, f) -> mm.multiplyAdd(4, 2, 3, new float[12], 0, 3, true, new float[6], 0, 2, false, f.t(4, 2).data(), 0, 2)));
        r.add(new Row(name + " with A's offset past its array", Scope.ANY, IAE, List.of("a holds 6 floats", "aOff=1", "needs 7"),
                (e, f) -> mm.multiplyAdd(2, 2, 3, new float[6], 1, 3, false, new float[6], 0, 2, false, f.t(2, 2).data(), 0, 2)));
        r.add(new Row(name + " with a negative offset", Scope.ANY, IAE, List.of("bOff=-2", ">= 0"),
                (e, f) -> mm.multiplyAdd(2, 2, 3, new float[6], 0, 3, false, new float[6], -2, 2, false, f.t(2, 2).data(), 0, 2)));
        r.add(new Row(name + " with a transposed B too short", Scope.ANY, IAE, List.of("b holds 5 floats", "transposed"),
                (e, f) -> mm.multiplyAdd(2, 2, 3, new float[6], 0, 3, false, new float[5], 0, 3, true, f.t(2, 2).data(), 0, 2)));
        r.add(new Row(name + " with C too short", Scope.ANY, IAE, List.of("c holds 4 floats", "cOff=1", "needs 5"),
                (e, f) -> mm.multiplyAdd(2, 2, 3, new float[6], 0, 3, false, new float[6], 0, 2, false, f.t(2, 2).data(), 1, 2)));
        r.add(new Row(name + " with C sharing A's array", Scope.ANY, IAE, List.of("c must not share its array with a or b"),
                (e, f) -> {
                    float[] shared = f.t(16).data();
                    mm.multiplyAdd(2, 2, 2, shared, 0, 2, false, new float[4], 0, 2, false, shared, 8, 2);
                }));
        r.add(new Row(name + " with a null B", Scope.ANY, NPE, List.of("b"),
                (e, f) -> mm.multiplyAdd(2, 2, 3, new float[6], 0, 3, false, null, 0, 2, false, f.t(2, 2).data(), 0, 2)));
        return r;
    }
}
