package dev.vconv.core;

/**
 * How the border of the input is filled, as {@code nn.Conv2d(padding_mode=...)}.
 *
 * <p>Every mode is an index mapping from a coordinate of the padded input, expressed in unpadded
 * coordinates ({@code i} may be negative or {@code >= size}), back to a coordinate of the unpadded
 * input, or {@code -1} where the padded value is zero. The validation in {@link ConvSpec} guarantees
 * that one reflection or one wrap suffices.
 */
public enum PaddingMode {
    /** Zeros outside the input. */
    ZEROS("zeros"),
    /** Mirror without repeating the edge (numpy {@code reflect}); needs padding &lt; size. */
    REFLECT("reflect"),
    /** Repeat the edge (numpy {@code edge}). */
    REPLICATE("replicate"),
    /** Wrap around (numpy {@code wrap}); needs padding &lt;= size. */
    CIRCULAR("circular");

    private final String torchName;

    PaddingMode(String torchName) {
        this.torchName = torchName;
    }

    /** The name PyTorch uses for this mode ({@code 'zeros'}, {@code 'reflect'}, ...). */
    public String torchName() {
        return torchName;
    }

    /**
     * Maps coordinate {@code i} (unpadded coordinates, {@code -pad <= i < size + pad}) to a valid index
     * of a dimension of length {@code size}, or to {@code -1} where the padded value is zero.
     */
    public int map(int i, int size) {
        if (Integer.compareUnsigned(i, size) < 0) {
            return i;
        }
        return switch (this) {
            case ZEROS -> -1;
            case REFLECT -> i < 0 ? -i : 2 * (size - 1) - i;
            case REPLICATE -> i < 0 ? 0 : size - 1;
            case CIRCULAR -> i < 0 ? i + size : i - size;
        };
    }

    /** Parses PyTorch's name of a mode. */
    public static PaddingMode fromTorchName(String name) {
        for (PaddingMode mode : values()) {
            if (mode.torchName.equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("padding_mode must be 'zeros', 'reflect', 'replicate' or 'circular', but got '"
                + name + "'");
    }
}
