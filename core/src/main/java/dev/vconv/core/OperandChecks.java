package dev.vconv.core;

/** The call-time checks shared by {@link ConvSpec} and {@link ConvTransposeSpec}. */
final class OperandChecks {

    private OperandChecks() {
    }

    /** A bias exactly when the spec has one, of size {@code [out_channels]}. */
    static void checkBias(boolean required, Shape expected, Tensor bias) {
        if (required && bias == null) {
            throw new IllegalArgumentException("bias of size " + expected + " is required: the spec has bias=true, but got bias=null");
        }
        if (!required && bias != null) {
            throw new IllegalArgumentException("bias must be null: the spec has bias=false, but got bias of size " + bias.shape());
        }
        if (bias != null && !bias.shape().equals(expected)) {
            throw new IllegalArgumentException("bias must have size [out_channels] = " + expected + ", but got bias of size "
                    + bias.shape());
        }
    }

    /** The output has the expected size and shares its array with no operand. */
    static void checkOutput(Shape expected, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        if (!output.shape().equals(expected)) {
            throw new IllegalArgumentException("output must have size " + expected + " for input of size " + input.shape()
                    + ", but got output of size " + output.shape());
        }
        float[] out = output.data();
        if (out == input.data() || out == weight.data() || (bias != null && out == bias.data())) {
            throw new IllegalArgumentException("output must not share its array with the input, weight or bias: "
                    + "the convolution reads its operands while it writes the output");
        }
    }
}
