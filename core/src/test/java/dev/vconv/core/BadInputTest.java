package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of the semantics has a message in PyTorch's words that names the parameter, the value and
 * the rule; no engine writes into the output when a call is rejected.
 */
class BadInputTest {

    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void groupsMustDivideInChannels() {
        assertEquals("in_channels must be divisible by groups, but got in_channels=3, groups=2",
                message(() -> ConvSpec.builder(3, 4, 3).groups(2).build()));
    }

    @Test
    void groupsMustDivideOutChannels() {
        assertEquals("out_channels must be divisible by groups, but got out_channels=3, groups=2",
                message(() -> ConvSpec.builder(4, 3, 3).groups(2).build()));
    }

    @Test
    void groupsMustBePositive() {
        assertEquals("groups must be a positive integer, but got groups=0", message(() -> ConvSpec.builder(4, 4, 3).groups(0).build()));
        assertEquals("groups must be a positive integer, but got groups=-2", message(() -> ConvSpec.builder(4, 4, 3).groups(-2).build()));
    }

    @Test
    void channelsMustBePositive() {
        assertEquals("in_channels must be a positive integer, but got in_channels=0", message(() -> ConvSpec.builder(0, 4, 3).build()));
        assertEquals("out_channels must be a positive integer, but got out_channels=-1", message(() -> ConvSpec.builder(4, -1, 3).build()));
    }

    @Test
    void kernelMustBePositive() {
        assertEquals("kernel_size must be positive, but got kernel_size=(0, 3)", message(() -> ConvSpec.builder(1, 1, 0, 3).build()));
    }

    @Test
    void sameIsRejectedForStrides() {
        assertEquals("padding='same' is not supported for strided convolutions, but got stride=(2, 1)",
                message(() -> ConvSpec.builder(1, 1, 3).stride(2, 1).paddingSame().build()));
    }

    @Test
    void negativePadding() {
        assertEquals("negative padding is not supported, but got padding=(top=0, bottom=-1, left=0, right=0)",
                message(() -> ConvSpec.builder(1, 1, 3).padding(0, -1, 0, 0).build()));
    }

    @Test
    void nonPositiveStride() {
        assertEquals("non-positive stride is not supported, but got stride=(1, 0)", message(() -> ConvSpec.builder(1, 1, 3).stride(1, 0).build()));
    }

    @Test
    void nonPositiveDilation() {
        assertEquals("dilation should be greater than zero, but got dilation=(0, 1)",
                message(() -> ConvSpec.builder(1, 1, 3).dilation(0, 1).build()));
    }

    @Test
    void hugeDilationOverflowIsCaught() {
        String m = message(() -> ConvSpec.builder(1, 1, 3).dilation(Integer.MAX_VALUE).build());
        assertTrue(m.startsWith("dilated kernel size dilation*(kernel_size-1)+1 = (4294967295 x 4294967295) is too large"), m);
    }

    @Test
    void hugePaddingIsCaught() {
        String m = message(() -> ConvSpec.builder(1, 1, 3).padding(Integer.MAX_VALUE).build());
        assertTrue(m.startsWith("padding must be at most"), m);
    }

    @Test
    void nullPaddingModeIsANullPointer() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> ConvSpec.builder(1, 1, 3).paddingMode(null));
        assertEquals("paddingMode", e.getMessage());
    }

    @Test
    void inputChannelsMustMatchTheWeight() {
        ConvSpec spec = ConvSpec.builder(2, 4, 3).groups(2).build();
        assertEquals("Given groups=2, weight of size [4, 1, 3, 3], expected input[1, 3, 5, 5] to have 2 channels, but got 3 channels instead",
                message(() -> spec.checkInput(Shape.of(1, 3, 5, 5))));
    }

    @Test
    void kernelLargerThanPaddedInput() {
        ConvSpec spec = ConvSpec.builder(1, 1, 3).build();
        assertEquals("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size",
                message(() -> spec.checkInput(Shape.of(1, 1, 2, 2))));
        ConvSpec dilated = ConvSpec.builder(1, 1, 3).dilation(2).padding(1).build();
        assertEquals("Calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5). Kernel size can't be greater than actual input size",
                message(() -> dilated.checkInput(Shape.of(1, 1, 2, 2))));
    }

    @Test
    void reflectPaddingMustBeSmallerThanTheInput() {
        ConvSpec spec = ConvSpec.builder(1, 1, 3).padding(3).paddingMode(PaddingMode.REFLECT).build();
        assertEquals("Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at dimension 2 of input [1, 1, 3, 5] (padding_mode='reflect')",
                message(() -> spec.checkInput(Shape.of(1, 1, 3, 5))));
        assertEquals("Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at dimension 2 of input [1, 5, 3] (padding_mode='reflect')",
                message(() -> spec.checkInput(Shape.of(1, 5, 3))));
    }

    @Test
    void circularPaddingMayWrapOnlyOnce() {
        ConvSpec spec = ConvSpec.builder(1, 1, 3).padding(0, 0, 4, 0).paddingMode(PaddingMode.CIRCULAR).build();
        assertEquals("Padding value causes wrapping around more than once: padding_mode='circular' needs padding <= input width, but got padding (4, 0) for width 3 of input [1, 1, 5, 3]",
                message(() -> spec.checkInput(Shape.of(1, 1, 5, 3))));
        spec.checkInput(Shape.of(1, 1, 5, 4)); // padding == size wraps exactly once: allowed
    }

    @Test
    void inputRankMustBeThreeOrFour() {
        ConvSpec spec = ConvSpec.builder(1, 1, 3).build();
        assertEquals("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5, 5]",
                message(() -> spec.checkInput(Shape.of(5, 5))));
    }

    @Test
    void emptyImageIsRejected() {
        ConvSpec spec = ConvSpec.builder(1, 1, 1).build();
        assertEquals("Expected input to have non-zero height and width, but got input of size: [1, 1, 0, 4]",
                message(() -> spec.checkInput(Shape.of(1, 1, 0, 4))));
    }

    @Test
    void arrayLengthMustMatchTheShape() {
        assertEquals("data of length 5 does not hold a tensor of size [1, 1, 2, 2]: it needs exactly 4 elements",
                message(() -> Tensor.of(new float[5], 1, 1, 2, 2)));
        assertEquals("data of length 3 does not hold a tensor of size [1, 1, 2, 2]: it needs exactly 4 elements",
                message(() -> Tensor.of(new float[3], 1, 1, 2, 2)));
    }

    @Test
    void shapesThatOverflowAnArrayAreRejected() {
        assertEquals("tensor of size [65536, 65536] has more than 2147483639 elements, the most a Java array can hold",
                message(() -> Shape.of(65536, 65536)));
        assertEquals("tensor sizes must be non-negative, but got size [1, -3]", message(() -> Shape.of(1, -3)));
    }

    @Test
    void nullOperandsAreNullPointers() {
        ConvSpec spec = ConvSpec.builder(1, 1, 1).bias(false).build();
        Tensor t = Tensor.zeros(1, 1, 2, 2);
        Tensor w = Tensor.zeros(1, 1, 1, 1);
        assertEquals("input", assertThrows(NullPointerException.class, () -> Engines.scalar().forward(spec, null, w, null, t)).getMessage());
        assertEquals("weight", assertThrows(NullPointerException.class, () -> Engines.scalar().forward(spec, t, null, null, t)).getMessage());
        assertEquals("output", assertThrows(NullPointerException.class, () -> Engines.scalar().forward(spec, t, w, null, null)).getMessage());
        assertEquals("data", assertThrows(NullPointerException.class, () -> Tensor.of(null, 1)).getMessage());
    }

    static List<Conv2d> engines() {
        return List.of(Engines.reference(), Engines.scalar(), Engines.best());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void rejectedCallsLeaveTheOutputAndOperandsUntouched(Conv2d engine) {
        ConvSpec spec = ConvSpec.builder(2, 3, 3).padding(1).build();
        Tensor input = Tensor.random(1, 1, 2, 5, 5);
        Tensor weight = Tensor.random(2, 3, 2, 3, 3);
        Tensor bias = Tensor.random(3, 3);
        Tensor output = Tensor.random(4, 1, 3, 5, 5);
        float[] before = output.data().clone();
        long inputSum = ConvAsserts.checksum(input.data());

        assertEquals("weight must have size [out_channels, in_channels/groups, kh, kw] = [3, 2, 3, 3], but got weight of size [3, 2, 3, 2]",
                message(() -> engine.forward(spec, input, Tensor.zeros(3, 2, 3, 2), bias, output)));
        assertEquals("bias must have size [out_channels] = [3], but got bias of size [4]",
                message(() -> engine.forward(spec, input, weight, Tensor.zeros(4), output)));
        assertEquals("bias of size [3] is required: the spec has bias=true, but got bias=null",
                message(() -> engine.forward(spec, input, weight, null, output)));
        assertEquals("bias must be null: the spec has bias=false, but got bias of size [3]",
                message(() -> engine.forward(spec.toBuilder().bias(false).build(), input, weight, bias, output)));
        assertEquals("output must have size [1, 3, 5, 5] for input of size [1, 2, 5, 5], but got output of size [1, 3, 5, 4]",
                message(() -> engine.forward(spec, input, weight, bias, Tensor.zeros(1, 3, 5, 4))));
        assertEquals("Given groups=1, weight of size [3, 2, 3, 3], expected input[1, 4, 5, 5] to have 2 channels, but got 4 channels instead",
                message(() -> engine.forward(spec, Tensor.zeros(1, 4, 5, 5), weight, bias, output)));
        Tensor aliased = Tensor.of(input.data(), 1, 2, 5, 5);
        ConvSpec square = ConvSpec.builder(2, 2, 3).padding(1).bias(false).build();
        assertTrue(message(() -> engine.forward(square, input, Tensor.zeros(2, 2, 3, 3), null, aliased))
                .startsWith("output must not share its array with the input, weight or bias"));

        assertTrue(Arrays.equals(before, output.data()), "output was written by a rejected call");
        assertEquals(inputSum, ConvAsserts.checksum(input.data()), "input was modified");
    }

    @Test
    void planRejectsOtherInputShapes() {
        ConvSpec spec = ConvSpec.builder(2, 3, 3).padding(1).bias(false).build();
        Conv2dPlan plan = Engines.scalar().plan(spec, Shape.of(1, 2, 5, 5), Tensor.random(1, 3, 2, 3, 3), null);
        assertEquals("this plan was made for input of size [1, 2, 5, 5], but got input of size [2, 2, 5, 5]: make a plan for each input size",
                message(() -> plan.forward(Tensor.zeros(2, 2, 5, 5))));
    }
}
