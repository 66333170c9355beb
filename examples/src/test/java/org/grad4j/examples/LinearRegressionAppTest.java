package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TF2 recipe with a short run: its printed W and b against the truth and against least squares. */
class LinearRegressionAppTest {
    private static final Pattern STEP_LINE = Pattern.compile(
            "At step (\\d+), loss = (-?[\\d.]+), W = (-?[\\d.]+), b = (-?[\\d.]+)");

    private final LinearRegressionApp app = new LinearRegressionApp();

    private String run(String... args) throws Exception {
        return AppRuns.output(app, args);
    }

    /** The numbers after a row label of the final table. */
    private static double[] row(String out, String label) {
        Matcher m = Pattern.compile("(?m)^" + label + "\\s+(-?[\\d.]+)\\s+(-?[\\d.]+)").matcher(out);
        assertTrue(m.find(), "no row \"" + label + "\" in:\n" + out);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    @Test
    void sgdReachesTheTrueLineAndTheLeastSquaresLine(@TempDir Path dir) throws Exception {
        String out = run("--steps=400", "--out", dir.toString(), "--no-plots");

        Matcher m = STEP_LINE.matcher(out);
        int lines = 0;
        double lastW = Double.NaN;
        double lastB = Double.NaN;
        int lastStep = 0;
        while (m.find()) {
            lines++;
            lastStep = Integer.parseInt(m.group(1));
            lastW = Double.parseDouble(m.group(3));
            lastB = Double.parseDouble(m.group(4));
        }
        assertEquals(4, lines, "a line every 100 steps:\n" + out);
        assertEquals(400, lastStep);
        assertEquals(2.0, lastW, 0.05, out);
        assertEquals(-1.0, lastB, 0.1, out);

        double[] sgd = row(out, "gradient descent");
        double[] exact = row(out, "least squares");
        double[] difference = row(out, "difference");
        assertEquals(lastW, sgd[0], 1e-4, "the table repeats the last step's W");
        assertEquals(lastB, sgd[1], 1e-4, "the table repeats the last step's b");
        // After 400 steps the initial error of b has shrunk by (1 - 2 lr)^400 ≈ 3e-4; what is left is SGD's
        // jitter at a fixed rate, about 0.01 for noise 0.5, batches of 32 and lr 0.01 (std of a stationary
        // AR(1) driven by the minibatch gradient noise). 0.05 is five of those.
        assertEquals(exact[0], sgd[0], 0.05, "W against least squares");
        assertEquals(exact[1], sgd[1], 0.05, "b against least squares");
        assertEquals(sgd[0] - exact[0], difference[0], 2e-6);
        assertEquals(sgd[1] - exact[1], difference[1], 2e-6);
        // least squares is the minimum: no line, the SGD one included, has a lower loss on the same points
        Matcher losses = Pattern.compile("(?m)^(gradient descent|least squares)\\s+\\S+\\s+\\S+\\s+([\\d.]+)").matcher(out);
        assertTrue(losses.find() && losses.group(1).equals("gradient descent"));
        double sgdLoss = Double.parseDouble(losses.group(2));
        assertTrue(losses.find() && losses.group(1).equals("least squares"));
        double exactLoss = Double.parseDouble(losses.group(2));
        assertTrue(sgdLoss >= exactLoss - 1e-6, "SGD loss " + sgdLoss + " below the least-squares loss " + exactLoss);

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "--no-plots writes nothing");
        }
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() throws Exception {
        String a = run("--steps=100", "--no-plots");
        String b = run("--steps=100", "--no-plots");
        String c = run("--steps=100", "--no-plots", "--seed=7");
        assertEquals(a, b);
        assertTrue(!a.equals(c), "seed 7 printed the same as seed 42");
    }

    @Test
    void writesThePointsWithTheLineAndTheLossCurve(@TempDir Path dir) throws Exception {
        String out = run("--steps=50", "--samples=200", "--out", dir.toString());
        for (String name : new String[] {"linear-regression.png", "linear-regression-loss.png"}) {
            AppRuns.assertPicture(dir.resolve(name), out, 400, 300);
        }
    }

    @Test
    void badOptionValuesNameTheOptionAndTheValue() {
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> run("--batch-size=0", "--no-plots"));
        assertTrue(e.getMessage().contains("linear-regression: --batch-size must be an integer ≥ 1, got \"0\""),
                e.getMessage());
        e = assertThrows(Options.UsageException.class, () -> run("--lr=abc", "--no-plots"));
        assertTrue(e.getMessage().contains("linear-regression: --lr must be a number > 0.0, got \"abc\""), e.getMessage());
        e = assertThrows(Options.UsageException.class, () -> run("--lr=-0.1", "--no-plots"));
        assertTrue(e.getMessage().contains("--lr") && e.getMessage().contains("\"-0.1\""), e.getMessage());
        e = assertThrows(Options.UsageException.class, () -> run("--samples=10", "--batch-size=11", "--no-plots"));
        assertTrue(e.getMessage().contains("--batch-size must be at most --samples (10), got \"11\""), e.getMessage());
    }
}
