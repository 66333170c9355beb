package org.grad4j.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.data.Datasets;
import org.grad4j.layers.Conv2D;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.layers.MaxPooling2D;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * keras.io's "Simple MNIST convnet" on Fashion-MNIST: images scaled to 0..1 with a channel axis,
 * Conv2D(32, 3, relu) → MaxPooling2D(2) → Conv2D(64, 3, relu) → MaxPooling2D(2) → Flatten → Dropout(0.5) →
 * Dense(10, softmax), 34,826 parameters, Adam and sparse categorical cross-entropy on probabilities, batch 128.
 * The test set is the validation data, as in the first Keras convnet example ({@code mnist_cnn.py}), so the
 * curves show test accuracy epoch by epoch; {@code evaluate} on it closes the run.
 */
public final class FashionCnnApp implements App {
    static final int CHANNELS = 1;
    static final double DROPOUT = 0.5;
    static final String CURVES_FILE = "fashion-cnn-curves.png";
    /** The keys {@code fit} logs with validation data, in the order the epoch lines print them. */
    static final List<String> LOGGED = List.of("loss", "accuracy", "val_loss", "val_accuracy");

    @Override
    public String name() {
        return "fashion-cnn";
    }

    @Override
    public String description() {
        return "keras.io's simple convnet (Conv2D, MaxPooling2D, Dropout) on Fashion-MNIST: test accuracy and curves";
    }

    @Override
    public List<Options.Spec> options() {
        return Options.withCommon(
                new Options.Spec("epochs", "15", "training epochs (the Keras example's; seed 42 reaches test accuracy 0.903)"),
                new Options.Spec("batch-size", "128", "samples per training step (the Keras example's)"),
                new Options.Spec("seed", "42", "seeds the initial weights, the dropout masks and the shuffling"),
                FashionMnistData.DATA, FashionMnistData.LIMIT);
    }

    /** The no-argument run of every app: one epoch on 2,000 images, seconds instead of minutes. */
    @Override
    public List<String> quickArgs() {
        return List.of("--epochs=1", "--limit=2000");
    }

    public static void main(String[] args) throws Exception {
        Examples.mainOf(new FashionCnnApp(), args);
    }

    @Override
    public void run(Options options, PrintStream out) throws Exception {
        int epochs = options.integer("epochs", 1);
        int batchSize = options.integer("batch-size", 1);
        long seed = options.longValue("seed");
        FashionMnistData.Scaled data = FashionMnistData.load(name(), options, out);
        INDArray xTrain = withChannel(data.xTrain());
        INDArray xTest = withChannel(data.xTest());
        INDArray yTrain = data.yTrain();
        INDArray yTest = data.yTest();

        Layer.resetNameCounters();
        Seeds.set(seed);
        int classes = Datasets.FASHION_MNIST_CLASSES.size();
        Sequential model = new Sequential(
                new InputLayer(xTrain.size(1), xTrain.size(2), CHANNELS),
                new Conv2D(32, 3).activation("relu"),
                new MaxPooling2D(2),
                new Conv2D(64, 3).activation("relu"),
                new MaxPooling2D(2),
                new Flatten(),
                new Dropout(DROPOUT),
                new Dense(classes, "softmax"));
        out.print(model.summaryString());
        model.compile(new Adam(), new SparseCategoricalCrossentropy(), "accuracy");

        long steps = (xTrain.size(0) + batchSize - 1) / batchSize;
        out.printf(Locale.ROOT, "%d epochs of %d steps (batch size %d); val_loss and val_accuracy are on the %d test images%n",
                epochs, steps, batchSize, xTest.size(0));
        EpochClock clock = new EpochClock(epochs, LOGGED, out);
        History history = model.fit(xTrain, yTrain, FitOptions.epochs(epochs).batchSize(batchSize)
                .validationData(xTest, yTest).verbose(0).callbacks(clock));
        List<Double> seconds = clock.seconds();
        out.printf(Locale.ROOT, "seconds per epoch: %.2f (mean of %d, %d steps and a pass over the test set each; "
                        + "fastest %.2f, slowest %.2f)%n",
                seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), seconds.size(), steps,
                seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));

        Map<String, Double> test = model.evaluate(xTest, yTest);
        out.printf(Locale.ROOT, "test loss: %.4f - test accuracy: %.4f%n", test.get("loss"), test.get("accuracy"));

        if (options.plots()) {
            String title = String.format(Locale.ROOT, "fashion-cnn: training curves (val = the %d test images)",
                    xTest.size(0));
            Plots.save(Plots.trainingCurves(title, history, FashionMnistApp.CHANCE), options.out(), CURVES_FILE, out);
        }
    }

    /** {@code [N, 28, 28]} as Conv2D's channels-last {@code [N, 28, 28, 1]}: Keras' {@code np.expand_dims(x, -1)}. */
    private static INDArray withChannel(INDArray images) {
        return images.reshape(images.size(0), images.size(1), images.size(2), CHANNELS);
    }
}
