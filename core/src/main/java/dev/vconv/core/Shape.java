package dev.vconv.core;

import java.util.Arrays;

/**
 * The dimensions of a dense, row-major (C order) tensor, outermost first: {@code [n, c, h, w]} for a
 * batched image, {@code [c, h, w]} for an unbatched one, {@code [cout, cin/groups, kh, kw]} for a weight.
 *
 * @param dims the sizes, each at least 0; the array is copied
 */
public record Shape(int[] dims) {

    public Shape {
        if (dims == null) {
            throw new NullPointerException("dims");
        }
        dims = dims.clone();
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor sizes must be non-negative, but got size " + format(dims));
            }
        }
        long count = 1;
        for (int d : dims) {
            count *= d;
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("tensor of size " + format(dims) + " has more than "
                        + (Integer.MAX_VALUE - 8) + " elements, the most a Java array can hold");
            }
        }
    }

    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    /** The sizes (a copy). */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    /** Number of elements; fits an int (checked at construction). */
    public int size() {
        int count = 1;
        for (int d : dims) {
            count *= d;
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** PyTorch's way of printing a size: {@code [1, 3, 5, 5]}. */
    @Override
    public String toString() {
        return format(dims);
    }

    static String format(int[] dims) {
        return Arrays.toString(dims);
    }
}
