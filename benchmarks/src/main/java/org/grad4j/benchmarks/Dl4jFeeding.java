package org.grad4j.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Which way of feeding DL4J is fastest, so that grad4j is compared with DL4J at its best: the same
 * prepared batches given one {@code net.fit(DataSet)} call per step, one {@code net.fit(features, labels)}
 * call per step, or all at once as a {@code fit(DataSetIterator)} per epoch. Measured on W1 (batch 1) and
 * a W4-shaped MLP (batch 128); {@link Dl4jTrainee} says which one it uses and why.
 */
public final class Dl4jFeeding {
    private Dl4jFeeding() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Environment.configure();
        out.println(Environment.describe());
        Data seed = Data.seedRegression(101);
        InitialWeights seedInit = InitialWeights.glorotUniform(102, false, 1, 1);
        compare(out, "W1 (batch 1)", seed, 1, new Contest(1, 7, 1000), StepUnit.MICROS,
                () -> Dl4jNetworks.singleUnit(seedInit, Activation.IDENTITY, LossFunction.MSE, new Sgd(0.02)));
        int[] widths = {784, 256, 256, 10};
        Data mlp = Data.randomClassification(128 * 25, 784, 10, 401);
        InitialWeights mlpInit = InitialWeights.glorotUniform(402, true, widths);
        compare(out, "W4 shape (batch 128)", mlp, 128, new Contest(1, 7, 25), StepUnit.MILLIS,
                () -> Dl4jNetworks.mlp(mlpInit, widths, new org.nd4j.linalg.learning.config.Adam(1e-3, 0.9, 0.999, 1e-7)));
    }

    private static void compare(PrintStream out, String label, Data data, int batchSize, Contest contest, StepUnit unit,
            Supplier<MultiLayerNetwork> network) {
        List<DataSet> batches = new ArrayList<>();
        for (long start = 0; start < data.samples(); start += batchSize) {
            long end = Math.min(start + batchSize, data.samples());
            batches.add(new DataSet(data.x().get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup('c'),
                    data.y().get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup('c')));
        }
        Random random = new Random(1);
        MultiLayerNetwork a = network.get();
        MultiLayerNetwork b = network.get();
        MultiLayerNetwork c = network.get();
        List<Side> sides = List.of(
                side("fit(DataSet)", 1, steps -> {
                    for (int s = 0; s < steps; s++) {
                        a.fit(batches.get(s % batches.size()));
                    }
                }),
                side("fit(features,labels)", 1, steps -> {
                    for (int s = 0; s < steps; s++) {
                        DataSet d = batches.get(s % batches.size());
                        b.fit(d.getFeatures(), d.getLabels());
                    }
                }),
                side("fit(iterator)", batches.size(), steps -> {
                    for (int e = 0; e < steps / batches.size(); e++) {
                        Collections.shuffle(batches, random);
                        c.fit(new ExistingDataSetIterator(batches));
                    }
                }));
        Map<String, Stats> times = contest.run(sides, unit);
        out.println(label);
        times.forEach((name, stats) -> out.printf("  %-22s %s%n", name, stats.format(unit.label())));
    }

    private interface Steps {
        void run(int steps);
    }

    private static Side side(String name, int stepsPerEpoch, Steps steps) {
        return new Side() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(int n) {
                steps.run(n);
            }

            @Override
            public int stepsPerEpoch() {
                return stepsPerEpoch;
            }
        };
    }
}
