package dev.vconv.spark;

import dev.vconv.core.Shape;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one row's image into a batch buffer as NCHW floats, checking it against the network's image shape.
 * Two column types are understood:
 * <ul>
 *   <li>{@code array<float>}: the image's {@code channels * height * width} floats in NCHW order, used as they are;</li>
 *   <li>Spark's image schema ({@code spark.read.format("image")}: a struct of {@code origin}, {@code height},
 *       {@code width}, {@code nChannels}, {@code mode}, {@code data}): 8-bit pixels, rows of interleaved
 *       channels in OpenCV's BGR(A) order. Three-channel images become RGB planes; every byte {@code v} of
 *       channel {@code c} becomes {@code (v / 255 - mean[c]) / std[c]} (a table of 256 floats per channel).</li>
 * </ul>
 * A row that does not fit (null, wrong element count, wrong height, width or channel count, a mode that is not
 * 8-bit) fails the task with an exception that names the row and what is wrong; nothing is guessed.
 */
abstract sealed class ImageInput implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The fields of Spark's image schema that decoding needs. */
    private static final List<String> IMAGE_FIELDS = List.of("height", "width", "nChannels", "mode", "data");

    final String column;
    final int index;
    final int channels;
    final int height;
    final int width;

    private ImageInput(String column, int index, Shape image) {
        this.column = column;
        this.index = index;
        this.channels = image.dim(0);
        this.height = image.dim(1);
        this.width = image.dim(2);
    }

    /** Floats per image. */
    final int imageSize() {
        return channels * height * width;
    }

    /**
     * The reader for column {@code column} of {@code schema}, for images of shape {@code image}.
     *
     * @param mean, std the per-channel normalisation of 8-bit images (ignored for float arrays)
     * @throws IllegalArgumentException if the column is missing or of another type
     */
    static ImageInput of(StructType schema, String column, Shape image, float[] mean, float[] std) {
        int index = fieldIndex(schema, column, "inputColumn");
        DataType type = schema.fields()[index].dataType();
        if (type instanceof ArrayType array && array.elementType().equals(DataTypes.FloatType)) {
            return new FloatArray(column, index, image);
        }
        if (type instanceof StructType struct && Arrays.asList(struct.fieldNames()).containsAll(IMAGE_FIELDS)) {
            return new SparkImage(column, index, image, struct, mean, std);
        }
        throw new IllegalArgumentException("inputColumn '" + column + "' must be array<float> (NCHW floats) or Spark's image "
                + "struct (" + String.join(", ", IMAGE_FIELDS) + "), but it is " + type.simpleString());
    }

    static int fieldIndex(StructType schema, String column, String parameter) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException(parameter + " '" + column + "' is not a column of the data set; its columns are "
                + Arrays.toString(schema.fieldNames()));
    }

    /**
     * Writes the image of {@code row} into {@code batch} from {@code offset} ({@link #imageSize()} floats).
     *
     * @param where the row's name for errors, such as {@code row 5 of partition 2 (id=17)}
     * @throws IllegalArgumentException if the image does not fit the network, naming the row
     * @throws NullPointerException if the image or one of its elements is null, naming the row
     */
    abstract void read(Row row, float[] batch, int offset, RowName where);

    /** A row's name in errors, made only when an error needs it. */
    interface RowName {
        String describe(Row row);
    }

    String shapeText() {
        return channels + "x" + height + "x" + width;
    }

    /** {@code array<float>} in NCHW order. */
    static final class FloatArray extends ImageInput {
        private static final long serialVersionUID = 1L;

        FloatArray(String column, int index, Shape image) {
            super(column, index, image);
        }

        @Override
        void read(Row row, float[] batch, int offset, RowName where) {
            if (row.isNullAt(index)) {
                throw new NullPointerException(column + " of " + where.describe(row) + " is null");
            }
            List<Object> values = row.getList(index);
            int size = imageSize();
            if (values.size() != size) {
                throw new IllegalArgumentException(column + " of " + where.describe(row) + " has " + values.size()
                        + " floats, but the network takes " + shapeText() + " = " + size + " (NCHW)");
            }
            for (int i = 0; i < size; i++) {
                Object value = values.get(i);
                if (value == null) {
                    throw new NullPointerException(column + " of " + where.describe(row) + " has a null at element " + i
                            + " (channel " + i / (height * width) + ", y " + i / width % height + ", x " + i % width + ")");
                }
                batch[offset + i] = (Float) value;
            }
        }
    }

    /** Spark's image schema: 8-bit interleaved BGR(A) rows. */
    static final class SparkImage extends ImageInput {
        private static final long serialVersionUID = 1L;
        /** OpenCV's 8-bit modes with 1, 3 and 4 channels, the ones Spark's image source writes. */
        private static final int CV_8UC1 = 0;
        private static final int CV_8UC3 = 16;
        private static final int CV_8UC4 = 24;

        private final int heightField;
        private final int widthField;
        private final int channelsField;
        private final int modeField;
        private final int dataField;
        private final int originField;   // -1 when the struct has none
        /** {@code lut[c * 256 + v]}: the float for byte {@code v} of network channel {@code c}. */
        private final float[] lut;

        SparkImage(String column, int index, Shape image, StructType struct, float[] mean, float[] std) {
            super(column, index, image);
            heightField = struct.fieldIndex("height");
            widthField = struct.fieldIndex("width");
            channelsField = struct.fieldIndex("nChannels");
            modeField = struct.fieldIndex("mode");
            dataField = struct.fieldIndex("data");
            originField = Arrays.asList(struct.fieldNames()).contains("origin") ? struct.fieldIndex("origin") : -1;
            if (mean.length != channels || std.length != channels) {
                throw new IllegalArgumentException("mean and std must have one value per channel (" + channels
                        + "), but got " + mean.length + " and " + std.length);
            }
            lut = new float[channels * 256];
            for (int c = 0; c < channels; c++) {
                if (!(std[c] > 0)) {
                    throw new IllegalArgumentException("std must be positive, but got std[" + c + "]=" + std[c]);
                }
                for (int v = 0; v < 256; v++) {
                    lut[c * 256 + v] = (v / 255f - mean[c]) / std[c];
                }
            }
        }

        @Override
        void read(Row row, float[] batch, int offset, RowName where) {
            if (row.isNullAt(index)) {
                throw new NullPointerException(column + " of " + where.describe(row) + " is null");
            }
            Row image = row.getStruct(index);
            for (int field : new int[] {heightField, widthField, channelsField, modeField, dataField}) {
                if (image.isNullAt(field)) {
                    throw new NullPointerException(column + "." + image.schema().fieldNames()[field] + " of "
                            + describe(row, image, where) + " is null");
                }
            }
            int h = image.getInt(heightField);
            int w = image.getInt(widthField);
            int c = image.getInt(channelsField);
            int mode = image.getInt(modeField);
            if (h != height || w != width || c != channels) {
                throw new IllegalArgumentException(column + " of " + describe(row, image, where) + " is " + c + "x" + h + "x" + w
                        + " (channels x height x width), but the network takes " + shapeText() + ": resize the images first");
            }
            if (mode != CV_8UC1 && mode != CV_8UC3 && mode != CV_8UC4) {
                throw new IllegalArgumentException(column + " of " + describe(row, image, where) + " has mode " + mode
                        + ", but only 8-bit images (OpenCV modes 0, 16, 24) are read");
            }
            byte[] data = (byte[]) image.get(dataField);
            int size = h * w * c;
            if (data.length != size) {
                throw new IllegalArgumentException(column + " of " + describe(row, image, where) + " has " + data.length
                        + " bytes of data, but height x width x nChannels = " + h + "x" + w + "x" + c + " = " + size);
            }
            int plane = h * w;
            for (int ch = 0; ch < c; ch++) {
                // Spark's images are BGR(A): network channel 0 (red) is byte 2 of a pixel when there are 3 or 4.
                int source = c >= 3 && ch < 3 ? 2 - ch : ch;
                int lutBase = ch * 256;
                int out = offset + ch * plane;
                for (int p = 0, b = source; p < plane; p++, b += c) {
                    batch[out + p] = lut[lutBase + (data[b] & 0xff)];
                }
            }
        }

        private String describe(Row row, Row image, RowName where) {
            String name = where.describe(row);
            if (originField >= 0 && !image.isNullAt(originField)) {
                name += " (origin " + image.getString(originField) + ")";
            }
            return name;
        }
    }
}
