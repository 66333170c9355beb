package org.grad4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J trained the way its users do, at its best: the batches are cut once into {@link DataSet}s and each
 * step is one {@code net.fit(DataSet)} call. {@link Dl4jFeeding} found this, {@code net.fit(features,
 * labels)} and a {@code fit(DataSetIterator)} per epoch equally fast within noise (their minima within
 * 3 % on W1 and 5 % on the W4 shape); per-step calls let the seed workloads draw one random sample per
 * step, as the grad4j tape loop does. The batched workloads go through the batches in order, unshuffled.
 */
final class Dl4jTrainee implements Trainee {
    private final MultiLayerNetwork net;
    private final List<DataSet> batches;
    private final DataSet all;
    private final SplittableRandom random;
    private int next;

    /**
     * @param data   the training set, cut here into batches of {@code batchSize} (the last one partial)
     * @param random draws the batch of each step, or null to go through them in order
     */
    Dl4jTrainee(MultiLayerNetwork net, Data data, int batchSize, SplittableRandom random) {
        this.net = net;
        this.all = new DataSet(data.x(), data.y());
        this.batches = new ArrayList<>();
        for (long start = 0; start < data.samples(); start += batchSize) {
            long end = Math.min(start + batchSize, data.samples());
            batches.add(new DataSet(rows(data.x(), start, end), rows(data.y(), start, end)));
        }
        this.random = random;
    }

    @Override
    public String name() {
        return "dl4j";
    }

    @Override
    public void run(int steps) {
        // grad4j picks OpenBLAS's threads per product and leaves the last choice set; DL4J runs with the run's own
        Environment.configure();
        for (int i = 0; i < steps; i++) {
            DataSet batch;
            if (random != null) {
                batch = batches.get(random.nextInt(batches.size()));
            } else {
                batch = batches.get(next);
                next = (next + 1) % batches.size();
            }
            net.fit(batch);
        }
    }

    /** Rows {@code [start, end)} in an array of their own (a view would make every step copy it). */
    private static INDArray rows(INDArray a, long start, long end) {
        return a.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup('c');
    }

    @Override
    public double loss() {
        return net.score(all);
    }
}
