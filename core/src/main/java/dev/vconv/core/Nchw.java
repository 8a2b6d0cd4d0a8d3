package dev.vconv.core;

/**
 * An image shape seen as NCHW: an unbatched {@code [c, h, w]} is a batch of one.
 *
 * @param n batch
 * @param c channels
 * @param h height
 * @param w width
 */
public record Nchw(int n, int c, int h, int w) {

    /** Views a rank-3 or rank-4 shape as NCHW. */
    public static Nchw of(Shape shape) {
        return switch (shape.rank()) {
            case 4 -> new Nchw(shape.dim(0), shape.dim(1), shape.dim(2), shape.dim(3));
            case 3 -> new Nchw(1, shape.dim(0), shape.dim(1), shape.dim(2));
            default -> throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                    + shape);
        };
    }

    /** Elements of one image, {@code c*h*w}. */
    public int imageSize() {
        return c * h * w;
    }

    /** Elements of one channel plane, {@code h*w}. */
    public int planeSize() {
        return h * w;
    }
}
