package dev.vconv.spark;

import dev.vconv.core.Tensor;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The function each task runs over its partition: rows are read in batches of {@code batchSize} images, each
 * batch goes through the network in one call, and out come the same rows, in the same order, with the image
 * column replaced by the features. A partition's last {@code r < batchSize} images run one at a time, so a
 * JVM holds plans for two batch sizes only ({@code batchSize} and 1).
 *
 * <p>The network comes from {@link PlanCache}, built once per JVM from the broadcast weights; its calls use
 * {@code spark.task.cpus} threads ({@link TaskContext#cpus()}), so a task never takes more cores than Spark
 * gave it.
 */
final class BatchInference implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<NetworkDefinition> network;
    private final ImageInput input;
    private final int[] kept;        // input columns copied to the output, in order
    private final int idIndex;       // the column that names a row in errors, -1 for none
    private final String idColumn;
    private final int batchSize;
    private final int outputSize;

    BatchInference(Broadcast<NetworkDefinition> network, ImageInput input, int[] kept, int idIndex, String idColumn,
                   int batchSize, int outputSize) {
        this.network = network;
        this.input = input;
        this.kept = kept;
        this.idIndex = idIndex;
        this.idColumn = idColumn;
        this.batchSize = batchSize;
        this.outputSize = outputSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        int partition = task == null ? -1 : task.partitionId();
        return new Batches(rows, PlanCache.network(network, threads), partition);
    }

    /** Pulls a batch of rows when the previous batch's outputs are used up. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final ImageNetwork net;
        private final int partition;
        private final int imageSize = input.imageSize();
        private final float[] images = new float[batchSize * imageSize];
        private final float[] single;
        private final float[] features = new float[batchSize * outputSize];
        private final Object[][] keptValues = new Object[batchSize][];
        private final ImageInput.RowName where;
        private long rowsRead;
        private int count;      // rows in the current batch
        private int next;       // the next of them to return

        Batches(Iterator<Row> rows, ImageNetwork net, int partition) {
            this.rows = rows;
            this.net = net;
            this.partition = partition;
            this.single = batchSize == 1 ? images : new float[imageSize];
            this.where = this::describe;
        }

        @Override
        public boolean hasNext() {
            if (next < count) {
                return true;
            }
            if (!rows.hasNext()) {
                return false;
            }
            fill();
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Object[] values = keptValues[next];
            float[] out = new float[outputSize];
            System.arraycopy(features, next * outputSize, out, 0, outputSize);
            values[kept.length] = out;
            keptValues[next++] = null;
            return RowFactory.create(values);
        }

        private void fill() {
            count = 0;
            next = 0;
            while (count < batchSize && rows.hasNext()) {
                Row row = rows.next();
                input.read(row, images, count * imageSize, where);
                Object[] values = new Object[kept.length + 1];
                for (int i = 0; i < kept.length; i++) {
                    values[i] = row.get(kept[i]);
                }
                keptValues[count++] = values;
                rowsRead++;
            }
            if (count == batchSize) {
                net.forward(Tensor.of(images, batchSize, input.channels, input.height, input.width), features);
            } else {
                float[] one = new float[outputSize];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(images, i * imageSize, single, 0, imageSize);
                    net.forward(Tensor.of(single, 1, input.channels, input.height, input.width), one);
                    System.arraycopy(one, 0, features, i * outputSize, outputSize);
                }
            }
        }

        /** "row 12 of partition 3 (id=17)": the row being read is the {@code rowsRead}-th of its partition. */
        private String describe(Row row) {
            String name = "row " + rowsRead + " of partition " + partition;
            if (idIndex >= 0) {
                name += " (" + idColumn + "=" + row.get(idIndex) + ")";
            }
            return name;
        }
    }
}
