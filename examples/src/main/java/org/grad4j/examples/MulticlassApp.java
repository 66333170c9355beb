package org.grad4j.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.grad4j.core.Seeds;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Keras multi-class recipe on generated data (no download): Gaussian clusters in 9 dimensions, a
 * 64-64-classes network trained on logits with categorical cross-entropy and Adam, validated every second epoch.
 * It prints the summary, the trainable variables as Keras names them ({@code dense/kernel:0 [9, 64]}), the
 * History, then saves the model, loads it back and checks that the copy predicts exactly as the original.
 */
public final class MulticlassApp implements App {
    /** Nine inputs, as the seed's {@code dense_3/kernel:0 [9, 64]}. */
    static final int FEATURES = 9;
    /** Orthogonal centres this far from the origin are 3√2 ≈ 4.2 standard deviations apart: separable, not trivially. */
    static final double CLUSTER_RADIUS = 3.0;
    static final double VALIDATION_FRACTION = 0.2;
    static final int VALIDATION_FREQ = 2;
    static final int SHOWN_PREDICTIONS = 5;
    static final String MODEL_FILE = "multiclass.g4j";

    @Override
    public String name() {
        return "multiclass";
    }

    @Override
    public String description() {
        return "a Dense classifier on Gaussian clusters: summary, variables, validationFreq, save, load, predict";
    }

    @Override
    public List<Options.Spec> options() {
        return Options.withCommon(
                new Options.Spec("epochs", "10", "training epochs (validation after every second one)"),
                new Options.Spec("batch-size", "32", "samples per training step"),
                new Options.Spec("lr", "0.01", "Adam's learning rate"),
                new Options.Spec("classes", "3", "number of clusters, one class each (2 to 9)"),
                new Options.Spec("samples", "250", "samples per class, 20% of them held out for validation"),
                new Options.Spec("seed", "42", "seeds the data, the initial weights and the shuffling"));
    }

    public static void main(String[] args) throws Exception {
        Examples.mainOf(new MulticlassApp(), args);
    }

    @Override
    public void run(Options options, PrintStream out) throws Exception {
        int epochs = options.integer("epochs", 1);
        int batchSize = options.integer("batch-size", 1);
        double learningRate = options.number("lr", 0);
        int classes = options.integer("classes", 2);
        if (classes > FEATURES) {
            throw new Options.UsageException(name() + ": --classes must be at most " + FEATURES
                    + " (one orthogonal cluster centre per class in " + FEATURES + " dimensions), got \"" + classes + "\"");
        }
        int perClass = options.integer("samples", 5);
        long seed = options.longValue("seed");

        GaussianClusters all = GaussianClusters.generate(classes, FEATURES, perClass, CLUSTER_RADIUS, seed);
        int trainSize = all.size() - (int) Math.round(all.size() * VALIDATION_FRACTION);
        GaussianClusters train = all.slice(0, trainSize);
        GaussianClusters validation = all.slice(trainSize, all.size());
        INDArray x = train.x();
        INDArray y = train.oneHot();
        INDArray xVal = validation.x();
        INDArray yVal = validation.oneHot();
        out.printf(Locale.ROOT, "%d Gaussian clusters in %d dimensions: %d training and %d validation samples (seed %d)%n",
                classes, FEATURES, train.size(), validation.size(), seed);

        // A script starts a fresh session, where Keras names the first Dense "dense"; clearing the counters makes
        // that hold here too when other apps ran before in this JVM (Keras' clear_session).
        Layer.resetNameCounters();
        Seeds.set(seed);
        Sequential model = new Sequential(new InputLayer(FEATURES), new Dense(64, "relu"), new Dense(64, "relu"),
                new Dense(classes));
        out.print(model.summaryString());
        out.println("trainable variables:");
        for (Variable v : model.trainableVariables()) {
            out.println(v.name() + " " + Shapes.format(v.shape()));
        }

        History history = model.compile(new Adam(learningRate), new CategoricalCrossentropy(true), "accuracy")
                .fit(x, y, FitOptions.epochs(epochs).batchSize(batchSize).validationData(xVal, yVal)
                        .validationFreq(VALIDATION_FREQ).verbose(0));
        printHistory(history, epochs, out);
        double reachable = validation.nearestCentreAccuracy();
        List<Double> valAccuracy = history.get("val_accuracy");
        if (valAccuracy.isEmpty()) {
            out.println("no validation epoch: validationFreq " + VALIDATION_FREQ + " needs at least " + VALIDATION_FREQ
                    + " epochs");
        } else {
            // the ceiling holds in expectation: on a validation set this small a model may beat it by a sample or two
            out.printf(Locale.ROOT, "final val_accuracy = %.4f (nearest true centre, the best rule in expectation: %.4f)%n",
                    valAccuracy.get(valAccuracy.size() - 1), reachable);
        }

        Files.createDirectories(options.out());
        Path file = options.out().resolve(MODEL_FILE);
        model.save(file);
        out.println("model saved: " + file.toAbsolutePath().normalize());
        Model loaded = Model.load(file);
        INDArray original = model.predict(xVal);
        INDArray reloaded = loaded.predict(xVal);
        printPredictions(reloaded, validation, out);
        double difference = Transforms.abs(reloaded.sub(original)).maxNumber().doubleValue();
        out.println("loaded model vs original on " + validation.size() + " validation samples: max |difference| = "
                + difference + (difference == 0 ? " (identical)" : ""));

        if (options.plots()) {
            Plots.save(trainingCurves(history), options.out(), "multiclass.png", out);
        }
    }

    /** One line per epoch, Keras' log names; the {@code val_} entries only on validation epochs. */
    private static void printHistory(History history, int epochs, PrintStream out) {
        List<String> keys = List.of("loss", "accuracy", "val_loss", "val_accuracy");
        for (int epoch : history.epochs()) {
            StringBuilder line = new StringBuilder("Epoch " + (epoch + 1) + "/" + epochs);
            for (String key : keys) {
                int at = history.epochsOf(key).indexOf(epoch);
                if (at >= 0) {
                    line.append(String.format(Locale.ROOT, " - %s: %.4f", key, history.get(key).get(at)));
                }
            }
            out.println(line);
        }
    }

    private static void printPredictions(INDArray logits, GaussianClusters validation, PrintStream out) {
        int shown = Math.min(SHOWN_PREDICTIONS, validation.size());
        INDArray probabilities = Tensor.of(logits.get(NDArrayIndex.interval(0, shown), NDArrayIndex.all()))
                .softmax(-1).array();
        INDArray predicted = Nd4j.argMax(probabilities, 1);
        out.println("predictions of the loaded model:");
        for (int i = 0; i < shown; i++) {
            int cls = predicted.getInt(i);
            out.printf(Locale.ROOT, "sample %d: predicted class %d (p = %.3f), true class %d%n", i, cls,
                    probabilities.getDouble(i, cls), validation.label(i));
        }
    }

    /** Loss and accuracy per epoch, their validation values as points at the validation epochs. */
    private static XYChart trainingCurves(History history) {
        XYChart chart = Plots.chart("multiclass: training curves", "epoch", "loss / accuracy");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (String key : List.of("loss", "accuracy")) {
            Plots.curve(chart, key, history.get(key));
            List<Integer> at = history.epochsOf("val_" + key);
            if (!at.isEmpty()) {
                XYSeries val = chart.addSeries("val_" + key, epochNumbers(at), history.get("val_" + key));
                val.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return chart;
    }

    private static List<Integer> epochNumbers(List<Integer> epochs) {
        List<Integer> numbers = new ArrayList<>();
        epochs.forEach(e -> numbers.add(e + 1));
        return numbers;
    }
}
