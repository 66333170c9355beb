package org.grad4j.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.data.Datasets;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Keras tutorial "Basic classification: classify images of clothing", step by step: Fashion-MNIST scaled to
 * 0..1, Flatten → Dense(128, relu) → Dense(10) logits, Adam with sparse categorical cross-entropy on logits,
 * {@code fit}, {@code evaluate} on the test set, then the tutorial's pictures: the first test images with their
 * predicted and true classes, and the training curves.
 */
public final class FashionMnistApp implements App {
    static final int HIDDEN_UNITS = 128;
    /** Ten balanced classes: the accuracy of guessing, where the curves' accuracy axis starts. */
    static final double CHANCE = 0.1;
    /** The tutorial's grid is 5 × 5. */
    static final int SHOWN = 25;
    static final String GRID_FILE = "fashion-mnist-grid.png";
    static final String CURVES_FILE = "fashion-mnist-curves.png";

    @Override
    public String name() {
        return "fashion-mnist";
    }

    @Override
    public String description() {
        return "the Keras clothing-classification tutorial on Fashion-MNIST: fit, evaluate, predictions grid, curves";
    }

    @Override
    public List<Options.Spec> options() {
        return Options.withCommon(
                new Options.Spec("epochs", "10", "training epochs"),
                new Options.Spec("batch-size", "32", "samples per training step (Keras' default)"),
                new Options.Spec("seed", "42", "seeds the initial weights and the shuffling"),
                FashionMnistData.DATA, FashionMnistData.LIMIT);
    }

    /** The no-argument run of every app: one epoch on 6,000 images, seconds instead of minutes. */
    @Override
    public List<String> quickArgs() {
        return List.of("--epochs=1", "--limit=6000");
    }

    public static void main(String[] args) throws Exception {
        Examples.mainOf(new FashionMnistApp(), args);
    }

    @Override
    public void run(Options options, PrintStream out) throws Exception {
        int epochs = options.integer("epochs", 1);
        int batchSize = options.integer("batch-size", 1);
        long seed = options.longValue("seed");
        FashionMnistData.Scaled data = FashionMnistData.load(name(), options, out);
        INDArray xTrain = data.xTrain();
        INDArray xTest = data.xTest();
        INDArray yTrain = data.yTrain();
        INDArray yTest = data.yTest();
        long height = xTrain.size(1);
        long width = xTrain.size(2);

        // A fresh session's layer names (dense, dense_1) even when other apps ran before in this JVM.
        Layer.resetNameCounters();
        Seeds.set(seed);
        Sequential model = new Sequential(new InputLayer(height, width), new Flatten(),
                new Dense(HIDDEN_UNITS, "relu"), new Dense(Datasets.FASHION_MNIST_CLASSES.size()));
        out.print(model.summaryString());
        model.compile(new Adam(), new SparseCategoricalCrossentropy(true), "accuracy");

        EpochClock clock = new EpochClock(epochs, List.of("loss", "accuracy"), out);
        History history = model.fit(xTrain, yTrain,
                FitOptions.epochs(epochs).batchSize(batchSize).verbose(0).callbacks(clock));
        List<Double> seconds = clock.seconds();
        out.printf(Locale.ROOT, "seconds per epoch: %.2f (mean of %d, batch size %d; fastest %.2f, slowest %.2f)%n",
                seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), seconds.size(), batchSize,
                seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));

        Map<String, Double> test = model.evaluate(xTest, yTest);
        out.printf(Locale.ROOT, "test loss: %.4f - test accuracy: %.4f%n", test.get("loss"), test.get("accuracy"));

        int shown = (int) Math.min(SHOWN, xTest.size(0));
        INDArray firstImages = xTest.get(NDArrayIndex.interval(0, shown), NDArrayIndex.all(), NDArrayIndex.all());
        // the tutorial's probability_model: the trained logits followed by a softmax
        INDArray probabilities = Tensor.of(model.predict(firstImages)).softmax(-1).array();
        INDArray argMax = Nd4j.argMax(probabilities, 1);
        int[] predicted = new int[shown];
        int[] actual = new int[shown];
        int right = 0;
        for (int i = 0; i < shown; i++) {
            predicted[i] = argMax.getInt(i);
            actual[i] = yTest.getInt(i);
            right += predicted[i] == actual[i] ? 1 : 0;
        }
        List<String> names = Datasets.FASHION_MNIST_CLASSES;
        out.printf(Locale.ROOT, "first test image: predicted %s (p = %.3f), true %s%n", names.get(predicted[0]),
                probabilities.getDouble(0, predicted[0]), names.get(actual[0]));
        out.printf(Locale.ROOT, "first %d test images: %d predicted right, %d wrong%n", shown, right, shown - right);

        if (options.plots()) {
            String header = String.format(Locale.ROOT, "predicted / true class of the first %d test images (wrong in red)",
                    shown);
            Plots.save(PredictionGrid.draw(header, firstImages, predicted, actual, names), options.out(), GRID_FILE, out);
            Plots.save(Plots.trainingCurves("fashion-mnist: training curves", history, CHANCE), options.out(), CURVES_FILE,
                    out);
        }
    }
}
