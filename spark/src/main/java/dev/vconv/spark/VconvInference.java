package dev.vconv.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a vconv network over a {@link Dataset} of images: each row's image column is replaced by the network's
 * output ({@code array<float>}), every other column is kept, rows keep their order within a partition.
 *
 * <pre>{@code
 * try (VconvInference features = VconvInference.builder(network)   // a NetworkDefinition: layers and weights
 *         .inputColumn("image")                                   // array<float> NCHW, or Spark's image struct
 *         .outputColumn("features")
 *         .batchSize(8)
 *         .build(spark)) {                                        // broadcasts the weights, once
 *     features.transform(images).write().parquet("features.parquet");
 * }
 * }</pre>
 *
 * <p>How it runs: {@link #transform} is a {@code mapPartitions} whose function reads {@code batchSize} rows at a
 * time, runs them through the network in one call and hands the rows on. The weights travel once per executor
 * as a broadcast; each executor JVM plans the network once per broadcast ({@link PlanCache}) and every task on
 * it shares those plans. vconv's calls use {@code spark.task.cpus} threads, so with the default of 1 the
 * executor's task slots are the parallelism and no core is over-subscribed.
 *
 * <p>An image that does not fit the network (null, wrong element count, wrong size) fails its task with an
 * exception naming the row, {@code row R of partition P}, and its id when {@link Builder#idColumn} is set;
 * Spark then fails the job with it.
 */
public final class VconvInference implements AutoCloseable {
    /** ImageNet's per-channel mean and standard deviation (RGB), the usual normalisation of 8-bit images. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final NetworkDefinition definition;
    private final Broadcast<NetworkDefinition> broadcast;
    private final String inputColumn;
    private final String outputColumn;
    private final String idColumn;
    private final int batchSize;
    private final float[] mean;
    private final float[] std;

    private VconvInference(Builder builder, SparkSession spark) {
        this.definition = builder.definition;
        this.inputColumn = builder.inputColumn;
        this.outputColumn = builder.outputColumn;
        this.idColumn = builder.idColumn;
        this.batchSize = builder.batchSize;
        int channels = definition.imageShape().dim(0);
        this.mean = builder.mean != null ? builder.mean.clone() : channels == 3 ? IMAGENET_MEAN.clone() : new float[channels];
        this.std = builder.std != null ? builder.std.clone() : channels == 3 ? IMAGENET_STD.clone() : ones(channels);
        this.broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(definition);
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    /** Starts configuring inference with {@code network}. */
    public static Builder builder(NetworkDefinition network) {
        return new Builder(Objects.requireNonNull(network, "network"));
    }

    /** The network this runs. */
    public NetworkDefinition network() {
        return definition;
    }

    /** The broadcast that carries the weights (its id keys the executors' plan caches). */
    public Broadcast<NetworkDefinition> broadcast() {
        return broadcast;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * The schema {@link #transform} gives for input of {@code input}: its columns without the image column, then
     * the output column ({@code array<float>}, not null).
     *
     * @throws IllegalArgumentException if a configured column is missing, of the wrong type, or the output
     *         column would clash with a kept one
     */
    public StructType outputSchema(StructType input) {
        ImageInput.of(input, inputColumn, definition.imageShape(), mean, std);
        if (idColumn != null) {
            ImageInput.fieldIndex(input, idColumn, "idColumn");
        }
        List<StructField> fields = new ArrayList<>();
        for (StructField field : input.fields()) {
            if (field.name().equals(inputColumn)) {
                continue;
            }
            if (field.name().equals(outputColumn)) {
                throw new IllegalArgumentException("outputColumn '" + outputColumn + "' is already a column of the data set: "
                        + "choose another name");
            }
            fields.add(field);
        }
        fields.add(DataTypes.createStructField(outputColumn, DataTypes.createArrayType(DataTypes.FloatType, false), false));
        return DataTypes.createStructType(fields);
    }

    /** The network's outputs for every row of {@code images} (lazy, as any Spark transformation). */
    public Dataset<Row> transform(Dataset<Row> images) {
        Objects.requireNonNull(images, "images");
        StructType schema = images.schema();
        StructType output = outputSchema(schema);
        ImageInput input = ImageInput.of(schema, inputColumn, definition.imageShape(), mean, std);
        int inputIndex = input.index;
        int[] kept = new int[schema.fields().length - 1];
        for (int i = 0, k = 0; i < schema.fields().length; i++) {
            if (i != inputIndex) {
                kept[k++] = i;
            }
        }
        int idIndex = idColumn == null ? -1 : ImageInput.fieldIndex(schema, idColumn, "idColumn");
        BatchInference function = new BatchInference(broadcast, input, kept, idIndex, idColumn, batchSize,
                definition.outputSize());
        return images.mapPartitions(function, Encoders.row(output));
    }

    /**
     * Removes the weights from the executors and drops this JVM's plans of them. Do it after the last action
     * on a transformed data set: those actions need the broadcast.
     */
    @Override
    public void close() {
        PlanCache.release(broadcast.id());
        broadcast.destroy();
    }

    /** Options of {@link VconvInference}; {@link #build} validates them. */
    public static final class Builder {
        private final NetworkDefinition definition;
        private String inputColumn = "image";
        private String outputColumn = "features";
        private String idColumn;
        private int batchSize = 8;
        private float[] mean;
        private float[] std;

        private Builder(NetworkDefinition definition) {
            this.definition = definition;
        }

        /** The image column: {@code array<float>} (NCHW) or Spark's image struct. Default {@code image}. */
        public Builder inputColumn(String column) {
            this.inputColumn = Objects.requireNonNull(column, "inputColumn");
            return this;
        }

        /** The column of outputs, {@code array<float>}. Default {@code features}. */
        public Builder outputColumn(String column) {
            this.outputColumn = Objects.requireNonNull(column, "outputColumn");
            return this;
        }

        /** A column whose value names a row in error messages (its key, a file name). Default none. */
        public Builder idColumn(String column) {
            this.idColumn = Objects.requireNonNull(column, "idColumn");
            return this;
        }

        /** Images per network call. Default 8. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, but got batchSize=" + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How 8-bit images (Spark's image struct) become floats: {@code (v / 255 - mean[c]) / std[c]} per RGB
         * channel. Default ImageNet's for 3 channels, {@code v / 255} otherwise. Float arrays are used as given.
         */
        public Builder normalization(float[] mean, float[] std) {
            Objects.requireNonNull(mean, "mean");
            Objects.requireNonNull(std, "std");
            int channels = definition.imageShape().dim(0);
            if (mean.length != channels || std.length != channels) {
                throw new IllegalArgumentException("mean and std must have one value per channel of the network ("
                        + channels + "), but got " + mean.length + " and " + std.length);
            }
            for (int c = 0; c < channels; c++) {
                if (!(std[c] > 0) || !Float.isFinite(mean[c]) || !Float.isFinite(std[c])) {
                    throw new IllegalArgumentException("std must be positive and finite and mean finite, but got mean["
                            + c + "]=" + mean[c] + ", std[" + c + "]=" + std[c]);
                }
            }
            this.mean = mean.clone();
            this.std = std.clone();
            return this;
        }

        /** Broadcasts the network's weights over {@code spark}'s cluster. */
        public VconvInference build(SparkSession spark) {
            Objects.requireNonNull(spark, "spark");
            if (inputColumn.equals(outputColumn)) {
                throw new IllegalArgumentException("outputColumn must differ from inputColumn, but both are '" + inputColumn + "'");
            }
            return new VconvInference(this, spark);
        }
    }
}
