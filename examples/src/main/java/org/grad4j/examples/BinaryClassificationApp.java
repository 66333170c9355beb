package org.grad4j.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Initializers;
import org.grad4j.losses.BinaryCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.SGD;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The TensorFlow 1 binary-classification recipe: points of N(−1, 1) are class 0, points of N(3, 1)
 * class 1, and the model {@code sigmoid(x + A)} has only the shift A to learn. A starts near 10 (every
 * point called class 1) and sigmoid cross-entropy pulls it to about −1, which puts the decision boundary
 * {@code x = −A} midway between the two means. Part two fits a {@code Sequential} {@code Dense(1)} (a
 * slope as well as a shift) with {@code compile}/{@code fit} on a fresh train/validation split and draws
 * the History's curves.
 */
public final class BinaryClassificationApp implements App {
    /** Samples per class in the recipe's loop. */
    static final int PER_CLASS = 50;
    /** Samples per class in the Sequential part, of which {@link #VALIDATION_FRACTION} are held out. */
    static final int FIT_PER_CLASS = 150;
    static final double VALIDATION_FRACTION = 0.2;
    static final double MEAN_0 = -1;
    static final double MEAN_1 = 3;
    /** The recipe printed every 200 steps. */
    static final int PRINT_EVERY = 200;

    @Override
    public String name() {
        return "binary-classification";
    }

    @Override
    public String description() {
        return "TF1 recipe: sigmoid(x + A) on N(-1, 1) vs N(3, 1), A from about 10 to about -1; then Sequential + fit "
                + "with validation data";
    }

    @Override
    public List<Options.Spec> options() {
        return Options.withCommon(
                new Options.Spec("steps", "1400", "SGD steps of the recipe's loop (one random sample each)"),
                new Options.Spec("lr", "0.05", "SGD learning rate of the recipe's loop"),
                new Options.Spec("fit-lr", "0.5", "SGD learning rate of the Sequential part (a slope and a shift to learn)"),
                new Options.Spec("epochs", "20", "epochs of the Sequential part"),
                new Options.Spec("batch-size", "16", "batch size of the Sequential part"),
                new Options.Spec("seed", "42", "seed of the samples, the initial weights, the picks and fit's shuffling"));
    }

    public static void main(String[] args) throws Exception {
        Examples.mainOf(new BinaryClassificationApp(), args);
    }

    @Override
    public void run(Options options, PrintStream out) throws Exception {
        int steps = options.integer("steps", 1);
        double learningRate = options.number("lr", 0);
        double fitLearningRate = options.number("fit-lr", 0);
        int epochs = options.integer("epochs", 1);
        int batchSize = options.integer("batch-size", 1);
        long seed = options.longValue("seed");
        boolean plots = options.plots();

        Seeds.set(seed);
        SplittableRandom random = new SplittableRandom(seed);
        // own streams, so that the Sequential part's data do not depend on --steps
        SplittableRandom picks = random.split();
        SplittableRandom fitRandom = random.split();
        float[][] data = twoGaussians(random, PER_CLASS);
        float[] xs = data[0];
        float[] labels = data[1];
        float initialA = (float) (10 + Seeds.gaussian(random));
        out.printf(Locale.ROOT, "%d samples x ~ N(%.0f, 1) with label 0 and %d x ~ N(%.0f, 1) with label 1; A starts at %.4f%n",
                PER_CLASS, MEAN_0, PER_CLASS, MEAN_1, initialA);

        // Part one: the recipe's loop
        Variable a = new Variable("A", Nd4j.createFromArray(initialA));
        BinaryCrossentropy sigmoidCrossEntropy = new BinaryCrossentropy(true);
        SGD sgd = new SGD(learningRate);
        for (int step = 1; step <= steps; step++) {
            int i = picks.nextInt(xs.length);
            Tensor x = Tensor.of(new float[] {xs[i]}, 1);
            Tensor label = Tensor.of(new float[] {labels[i]}, 1);
            sgd.minimize(() -> sigmoidCrossEntropy.call(label, x.add(a)), List.of(a));
            if (step % PRINT_EVERY == 0) {
                // as the recipe: the loss on the step's sample after the step
                float loss;
                try (NoGrad scope = NoGrad.enter()) {
                    loss = sigmoidCrossEntropy.call(label, x.add(a)).item();
                }
                out.printf(Locale.ROOT, "Step #%d A = %.4f Loss = %.4f%n", step, a.item(), loss);
            }
        }
        out.printf(Locale.ROOT, "Final A = %.4f after %d steps (decision boundary x = %.4f)%n", a.item(), steps, -a.item());
        out.printf(Locale.ROOT, "Final accuracy: %.2f%n", accuracy(xs, labels, a));

        // Part two: Keras' API on a fresh split
        float[][] fresh = shuffled(twoGaussians(fitRandom, FIT_PER_CLASS), fitRandom);
        int validation = (int) Math.round(fresh[0].length * VALIDATION_FRACTION);
        int training = fresh[0].length - validation;
        Dense dense = new Dense(1).kernelInitializer(Initializers.glorotUniform(seed));
        Sequential model = new Sequential(new InputLayer(1), dense);
        model.compile(new SGD(fitLearningRate), new BinaryCrossentropy(true), "accuracy");
        History history = model.fit(column(fresh[0], 0, training), column(fresh[1], 0, training),
                FitOptions.epochs(epochs).batchSize(batchSize).verbose(0).seed(seed)
                        .validationData(column(fresh[0], training, validation), column(fresh[1], training, validation)));
        out.printf(Locale.ROOT, "Sequential: %d training and %d validation samples, %d epochs of batch size %d%n",
                training, validation, epochs, batchSize);
        out.printf(Locale.ROOT, "Sequential after epoch %d: loss = %.4f, accuracy = %.4f, val_loss = %.4f, val_accuracy = %.4f%n",
                epochs, last(history, "loss"), last(history, "accuracy"), last(history, "val_loss"), last(history, "val_accuracy"));
        float w = dense.kernel().item();
        float b = dense.bias().item();
        out.printf(Locale.ROOT, "Sequential: logit = %.4f·x %s %.4f (decision boundary x = %.4f)%n", w, b < 0 ? "-" : "+",
                Math.abs(b), -b / w);

        if (plots) {
            XYChart chart = Plots.trainingCurves("Sequential Dense(1) on N(-1, 1) vs N(3, 1), SGD " + fitLearningRate,
                    history, 0.5);
            Plots.save(chart, options.out(), "binary-classification.png", out);
        }
    }

    /** {@code perClass} points of class 0 then {@code perClass} of class 1: {xs, labels}. */
    private static float[][] twoGaussians(SplittableRandom random, int perClass) {
        float[] xs = new float[2 * perClass];
        float[] labels = new float[2 * perClass];
        for (int i = 0; i < perClass; i++) {
            xs[i] = (float) (MEAN_0 + Seeds.gaussian(random));
            xs[perClass + i] = (float) (MEAN_1 + Seeds.gaussian(random));
            labels[perClass + i] = 1f;
        }
        return new float[][] {xs, labels};
    }

    /** The same pairs in a random order (Fisher–Yates), so a tail split holds both classes. */
    private static float[][] shuffled(float[][] data, SplittableRandom random) {
        float[] xs = data[0].clone();
        float[] labels = data[1].clone();
        for (int i = xs.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float x = xs[i];
            xs[i] = xs[j];
            xs[j] = x;
            float label = labels[i];
            labels[i] = labels[j];
            labels[j] = label;
        }
        return new float[][] {xs, labels};
    }

    /** {@code count} values from {@code from} as a {@code [count, 1]} array, the shape Dense expects. */
    private static INDArray column(float[] values, int from, int count) {
        float[] part = Arrays.copyOfRange(values, from, from + count);
        return Nd4j.create(part, new long[] {count, 1}, 'c');
    }

    /** The recipe's accuracy: a point is called class 1 when sigmoid(x + A) > 0.5. */
    private static double accuracy(float[] xs, float[] labels, Variable a) {
        float[] probabilities;
        try (NoGrad scope = NoGrad.enter()) {
            probabilities = Tensor.of(xs).add(a).sigmoid().array().toFloatVector();
        }
        int correct = 0;
        for (int i = 0; i < xs.length; i++) {
            if ((probabilities[i] > 0.5f ? 1f : 0f) == labels[i]) {
                correct++;
            }
        }
        return (double) correct / xs.length;
    }

    private static double last(History history, String key) {
        List<Double> values = history.get(key);
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }
}
