package dev.vconv.core;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A dense float32 tensor in row-major (C) order: NCHW for images. It wraps the caller's array without
 * copying; {@link #data()} hands the same array back.
 */
public final class Tensor {
    private final float[] data;
    private final Shape shape;

    private Tensor(float[] data, Shape shape) {
        this.data = data;
        this.shape = shape;
    }

    /**
     * Wraps {@code data} (not copied) as a tensor of the given shape.
     *
     * @throws IllegalArgumentException if the array length is not the product of the sizes
     */
    public static Tensor of(float[] data, int... dims) {
        return of(data, Shape.of(dims));
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor of(float[] data, Shape shape) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("data of length " + data.length + " does not hold a tensor of size "
                    + shape + ": it needs exactly " + shape.size() + " elements");
        }
        return new Tensor(data, shape);
    }

    /** A new tensor of zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** A new tensor of zeros. */
    public static Tensor zeros(Shape shape) {
        Objects.requireNonNull(shape, "shape");
        return new Tensor(new float[shape.size()], shape);
    }

    /** A new tensor of values drawn uniformly from [-1, 1) by a generator seeded with {@code seed}. */
    public static Tensor random(long seed, int... dims) {
        Shape shape = Shape.of(dims);
        float[] data = new float[shape.size()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return new Tensor(data, shape);
    }

    /** The backing array itself (not a copy). */
    public float[] data() {
        return data;
    }

    public Shape shape() {
        return shape;
    }

    public int rank() {
        return shape.rank();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int size() {
        return data.length;
    }

    /** A tensor of the same shape over a copy of the data. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    @Override
    public String toString() {
        return "Tensor" + shape;
    }
}
