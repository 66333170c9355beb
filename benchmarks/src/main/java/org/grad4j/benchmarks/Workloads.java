package org.grad4j.benchmarks;

import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.grad4j.core.Seeds;
import org.grad4j.core.Variable;
import org.grad4j.layers.Conv2D;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.MaxPooling2D;
import org.grad4j.losses.BinaryCrossentropy;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.grad4j.optimizers.SGD;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The issues' workloads, each built for both frameworks from the same data and starting weights.
 * grad4j goes through its public API only: {@code Sequential}, {@code Dense}, {@code compile}, {@code fit},
 * and for W1/W2 also a {@link TapeLoop} over {@code Variable}s with {@code SGD.minimize}.
 */
final class Workloads {
    private Workloads() {
    }

    /** W1: y = A·x, one scalar, no bias; squared loss; SGD 0.02; one random sample per step. */
    static Workload seedRegression(Contest contest) {
        Data data = Data.seedRegression(101);
        InitialWeights init = InitialWeights.glorotUniform(102, false, 1, 1);
        Seeds.set(103);
        Sequential model = new Sequential(new InputLayer(1), new Dense(1).useBias(false));
        model.compile(new SGD(0.02), new MeanSquaredError());
        model.setWeights(init.kerasOrder());
        Variable a = new Variable("A", init.kernels().get(0).dup());
        TapeLoop tape = new TapeLoop(new SGD(0.02), List.of(a), (x, y) -> x.mul(a).sub(y).square().mean(), data, 104);
        MultiLayerNetwork net = Dl4jNetworks.singleUnit(init, Activation.IDENTITY, LossFunction.MSE, new Sgd(0.02));
        return new Workload("W1", "seed regression y = A·x, batch 1, SGD 0.02", StepUnit.MICROS, contest,
                List.of(new Grad4jFit("grad4j_fit", model, data, 1), tape),
                new Dl4jTrainee(net, data, 1, new SplittableRandom(105)), null, 1, 0);
    }

    /** W2: sigmoid(w·x + b) with binary cross-entropy; SGD 0.05; one random sample per step. */
    static Workload seedClassification(Contest contest) {
        Data data = Data.seedClassification(201);
        InitialWeights init = InitialWeights.glorotUniform(202, true, 1, 1);
        Seeds.set(203);
        Sequential model = new Sequential(new InputLayer(1), new Dense(1, "sigmoid"));
        model.compile(new SGD(0.05), new BinaryCrossentropy());
        model.setWeights(init.kerasOrder());
        Variable w = new Variable("w", init.kernels().get(0).dup());
        Variable b = new Variable("b", init.biases().get(0).dup());
        BinaryCrossentropy bce = new BinaryCrossentropy();
        TapeLoop tape = new TapeLoop(new SGD(0.05), List.of(w, b), (x, y) -> bce.call(y, x.mul(w).add(b).sigmoid()), data, 204);
        MultiLayerNetwork net = Dl4jNetworks.singleUnit(init, Activation.SIGMOID, LossFunction.XENT, new Sgd(0.05));
        return new Workload("W2", "seed classification sigmoid + binary cross-entropy, batch 1, SGD 0.05", StepUnit.MICROS,
                contest, List.of(new Grad4jFit("grad4j_fit", model, data, 1), tape),
                new Dl4jTrainee(net, data, 1, new SplittableRandom(205)), null, 1, 0);
    }

    /** W3: y = 2x - 1 + noise; Dense(1) with bias; MSE; SGD 0.01; batch 32. */
    static Workload linearRegression(int samples, Contest contest) {
        Data data = Data.noisyLine(samples, 301);
        InitialWeights init = InitialWeights.glorotUniform(302, true, 1, 1);
        Seeds.set(303);
        Sequential model = new Sequential(new InputLayer(1), new Dense(1));
        model.compile(new SGD(0.01), new MeanSquaredError());
        model.setWeights(init.kerasOrder());
        MultiLayerNetwork net = Dl4jNetworks.singleUnit(init, Activation.IDENTITY, LossFunction.MSE, new Sgd(0.01));
        return new Workload("W3", "linear regression " + samples + " samples, batch 32, SGD 0.01", StepUnit.MICROS, contest,
                List.of(new Grad4jFit("grad4j", model, data, 32)), new Dl4jTrainee(net, data, 32, null), null, 32, 0);
    }

    /** W4: MLP 784-256-256-10, ReLU, softmax cross-entropy, Adam 1e-3, batch 128, U[0,1) inputs, random labels. */
    static Workload mlpMnistShape(int samples, Contest contest) {
        return mlp("W4", samples, 128, contest, 401, 784, 256, 256, 10);
    }

    /** W5: MLP 1024-2048-2048-10, ReLU, softmax cross-entropy, Adam 1e-3, batch 256. */
    static Workload mlpWide(int samples, Contest contest) {
        return mlp("W5", samples, 256, contest, 501, 1024, 2048, 2048, 10);
    }

    /**
     * grad4j's last Dense is linear and the loss takes logits ({@code CategoricalCrossentropy(true)}), the
     * stable form grad4j's own documentation recommends; DL4J's output layer applies softmax and MCXENT.
     * Both compute the same function and gradient. DL4J's Adam gets Keras' epsilon (1e-7) to match.
     */
    private static Workload mlp(String id, int samples, int batchSize, Contest contest, long seed, int... widths) {
        Data data = Data.randomClassification(samples, widths[0], widths[widths.length - 1], seed);
        InitialWeights init = InitialWeights.glorotUniform(seed + 1, true, widths);
        Seeds.set(seed + 2);
        Sequential model = mlpModel(widths);
        model.compile(new Adam(1e-3), new CategoricalCrossentropy(true));
        model.setWeights(init.kerasOrder());
        // the phases are timed on a model of their own, so the fit side's weights are not moved by them
        Sequential phased = mlpModel(widths);
        CategoricalCrossentropy loss = new CategoricalCrossentropy(true);
        Adam adam = new Adam(1e-3);
        phased.compile(adam, loss);
        phased.setWeights(init.kerasOrder());
        MultiLayerNetwork net = Dl4jNetworks.mlp(init, widths, new org.nd4j.linalg.learning.config.Adam(1e-3, 0.9, 0.999, 1e-7));
        StringBuilder shape = new StringBuilder("MLP ");
        for (int l = 0; l < widths.length; l++) {
            shape.append(l == 0 ? "" : "-").append(widths[l]);
        }
        shape.append(", ").append(samples).append(" samples, batch ").append(batchSize).append(", Adam 1e-3");
        return new Workload(id, shape.toString(), StepUnit.MILLIS, contest, List.of(new Grad4jFit("grad4j", model, data, batchSize)),
                new Dl4jTrainee(net, data, batchSize, null), new GemmFloor(batchSize, widths), batchSize,
                6 * init.kernelEntries() * batchSize, 0, new PhasedStep(phased, loss, adam, data, batchSize));
    }

    /** Dense ReLU layers of the given widths (input first) and a linear last one, not compiled. */
    private static Sequential mlpModel(int... widths) {
        Sequential model = new Sequential(new InputLayer(widths[0]));
        for (int l = 1; l < widths.length - 1; l++) {
            model.add(new Dense(widths[l], "relu"));
        }
        model.add(new Dense(widths[widths.length - 1]));
        return model;
    }

    /**
     * W6: the Keras tutorial's classifier, 784 → Dense(128, relu) → Dense(10), Adam 1e-3, sparse categorical
     * cross-entropy from logits, batch 32 (1,875 steps an epoch of 60,000), on Fashion-MNIST when a local copy
     * exists. DL4J's output layer applies softmax with its sparse MCXENT: the same function and gradient.
     */
    static Workload tutorial(int samples, Contest contest) {
        FashionData.Loaded loaded = FashionData.load(samples, 601);
        return tutorial(loaded.data(), loaded.source(), contest);
    }

    /** The tutorial's epoch: 60,000 samples in batches of 32. Seconds per epoch are reported for it at any scale. */
    static final int TUTORIAL_EPOCH_STEPS = 1875;

    static Workload tutorial(Data data, String source, Contest contest) {
        int batchSize = 32;
        int[] widths = {784, 128, 10};
        InitialWeights init = InitialWeights.glorotUniform(602, true, widths);
        Seeds.set(603);
        Sequential model = new Sequential(new InputLayer(widths[0]), new Dense(widths[1], "relu"), new Dense(widths[2]));
        model.compile(new Adam(1e-3), new SparseCategoricalCrossentropy(true));
        model.setWeights(init.kerasOrder());
        MultiLayerNetwork net = Dl4jNetworks.tutorial(init, widths, new org.nd4j.linalg.learning.config.Adam(1e-3, 0.9, 0.999, 1e-7));
        Grad4jFit fit = new Grad4jFit("grad4j", model, data, batchSize);
        // the phases are timed on a model of their own, so the fit side's weights are not moved by them
        Sequential phased = new Sequential(new InputLayer(widths[0]), new Dense(widths[1], "relu"), new Dense(widths[2]));
        SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy(true);
        Adam adam = new Adam(1e-3);
        phased.compile(adam, loss);
        phased.setWeights(init.kerasOrder());
        return new Workload("W6", "Keras tutorial MLP 784-128-10 relu, batch 32, Adam 1e-3, sparse CCE from logits; " + source,
                StepUnit.MILLIS, contest, List.of(fit), new Dl4jTrainee(net, data, batchSize, null),
                new GemmFloor(batchSize, widths), batchSize, 6 * init.kernelEntries() * batchSize, TUTORIAL_EPOCH_STEPS,
                new PhasedStep(phased, loss, adam, data, batchSize));
    }

    /**
     * W7 (issue 16): the Keras convnet example, 28×28×1 → Conv2D(32, 3, relu) → MaxPooling2D(2) → Conv2D(64, 3,
     * relu) → MaxPooling2D(2) → Flatten → Dropout(0.5) → Dense(10, softmax), Adam 1e-3, categorical cross-entropy on
     * one-hot labels, batch 128, on Fashion-MNIST when a local copy exists. DL4J builds the same net from
     * ConvolutionLayer and SubsamplingLayer (see {@link Dl4jNetworks#convnet}); both start from the same weights.
     */
    static Workload convnet(int samples, Contest contest) {
        FashionData.Loaded loaded = FashionData.images(FashionData.load(samples, 701));
        return convnet(loaded.data(), loaded.source(), contest);
    }

    static final int CONVNET_BATCH = 128;

    /** @param data images {@code [N, 28, 28, 1]} and one-hot labels {@code [N, 10]} */
    static Workload convnet(Data data, String source, Contest contest) {
        ConvnetWeights init = ConvnetWeights.glorotUniform(702);
        Seeds.set(703);
        Sequential model = convnetModel();
        model.compile(new Adam(1e-3), new CategoricalCrossentropy());
        model.setWeights(init.kerasOrder());
        long n = data.samples();
        // DL4J reads NCHW: with one channel, the same memory
        Data nchw = new Data(data.x().reshape('c', n, 1, FashionData.SIDE, FashionData.SIDE), data.y());
        MultiLayerNetwork net = Dl4jNetworks.convnet(init, new org.nd4j.linalg.learning.config.Adam(1e-3, 0.9, 0.999, 1e-7));
        Im2colFloor floor = Im2colFloor.convnet(CONVNET_BATCH);
        Sequential phased = convnetModel();
        CategoricalCrossentropy loss = new CategoricalCrossentropy();
        Adam adam = new Adam(1e-3);
        phased.compile(adam, loss);
        phased.setWeights(init.kerasOrder());
        return new Workload("W7", "Keras convnet 28x28x1 conv32-pool-conv64-pool-dropout-dense10 softmax, batch "
                + CONVNET_BATCH + ", Adam 1e-3, categorical CE; " + source, StepUnit.MILLIS, contest,
                List.of(new Grad4jFit("grad4j", model, data, CONVNET_BATCH)), new Dl4jTrainee(net, nchw, CONVNET_BATCH, null),
                floor, CONVNET_BATCH, floor.flopsPerStep(), 0, new PhasedStep(phased, loss, adam, data, CONVNET_BATCH));
    }

    private static Sequential convnetModel() {
        return new Sequential(new InputLayer(FashionData.SIDE, FashionData.SIDE, 1),
                new Conv2D(ConvnetWeights.FILTERS1, ConvnetWeights.KERNEL).activation("relu"), new MaxPooling2D(2),
                new Conv2D(ConvnetWeights.FILTERS2, ConvnetWeights.KERNEL).activation("relu"), new MaxPooling2D(2),
                new Flatten(), new Dropout(0.5), new Dense(FashionData.CLASSES, "softmax"));
    }
}
