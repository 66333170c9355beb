package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classification recipe moves A from about 10 to about −1 (the boundary midway between the means −1
 * and 3), classifying the 100 points as well as the Bayes rule does (Φ(2) ≈ 0.977); the Sequential part
 * reports its History and draws it.
 */
class BinaryClassificationAppTest {
    private static final Pattern START = Pattern.compile("A starts at (-?[0-9.]+)");
    private static final Pattern STEP = Pattern.compile("Step #(\\d+) A = (-?[0-9.]+) Loss = ([0-9.]+)");
    private static final Pattern ACCURACY = Pattern.compile("Final accuracy: ([0-9.]+)");
    private static final Pattern FIT = Pattern.compile("Sequential after epoch (\\d+): loss = ([0-9.]+), accuracy = ([0-9.]+), "
            + "val_loss = ([0-9.]+), val_accuracy = ([0-9.]+)");
    private static final Pattern BOUNDARY = Pattern.compile("Sequential: logit = .*\\(decision boundary x = (-?[0-9.]+)\\)");

    private final BinaryClassificationApp app = new BinaryClassificationApp();

    private String run(String... args) throws Exception {
        return AppRuns.output(app, args);
    }

    private static Matcher find(Pattern pattern, String out) {
        Matcher m = pattern.matcher(out);
        assertTrue(m.find(), "no \"" + pattern + "\" in:\n" + out);
        return m;
    }

    private static double number(Pattern pattern, String out) {
        return Double.parseDouble(find(pattern, out).group(1));
    }

    @Test
    void theRecipeMovesAToMinusOneAndFitValidates(@TempDir Path dir) throws Exception {
        // the recipe's 1400 steps: from A ≈ 10 the label-0 half pulls A down by about 0.025 a step, so A
        // needs roughly 500-800 steps to settle near -1; fewer steps would not test the end value
        String out = run("--out=" + dir);
        double start = number(START, out);
        assertEquals(10, start, 4, "A starts from N(10, 1): " + out);
        List<Integer> steps = new ArrayList<>();
        List<Double> as = new ArrayList<>();
        Matcher m = STEP.matcher(out);
        while (m.find()) {
            steps.add(Integer.parseInt(m.group(1)));
            as.add(Double.parseDouble(m.group(2)));
        }
        assertEquals(List.of(200, 400, 600, 800, 1000, 1200, 1400), steps, out);
        assertTrue(as.get(0) < start, out);
        double finalA = as.get(as.size() - 1);
        assertEquals(-1, finalA, 0.5, out);
        assertTrue(number(ACCURACY, out) >= 0.95, out);

        Matcher fit = find(FIT, out);
        assertEquals(20, Integer.parseInt(fit.group(1)));
        assertTrue(Double.parseDouble(fit.group(2)) < Math.log(2), "training loss below chance level's ln 2: " + out);
        assertTrue(Double.parseDouble(fit.group(4)) < Math.log(2), "val_loss below chance level's ln 2: " + out);
        // 60 validation points at a Bayes error of 2.3% leave room for a few mistakes, not for a bad boundary
        assertTrue(Double.parseDouble(fit.group(3)) >= 0.9, out);
        assertTrue(Double.parseDouble(fit.group(5)) >= 0.9, out);
        assertEquals(1, number(BOUNDARY, out), 0.5, "the boundary lies between the means, near their midpoint: " + out);

        AppRuns.assertPicture(dir.resolve("binary-classification.png"), out, 400, 300);
    }

    @Test
    void noPlotsWritesNoFileAndTheSameSeedPrintsTheSameRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("pictures");
        String[] args = {"--steps=200", "--epochs=2", "--no-plots", "--out=" + out};
        String first = run(args);
        assertFalse(Files.exists(out), "nothing may be written with --no-plots");
        assertFalse(first.contains("picture:"), first);
        assertEquals(first, run(args));
    }

    @Test
    void theSequentialDataDoNotDependOnTheRecipesStepCount() throws Exception {
        String fewSteps = run("--steps=1", "--epochs=2", "--no-plots");
        String moreSteps = run("--steps=200", "--epochs=2", "--no-plots");
        assertEquals(find(FIT, fewSteps).group(), find(FIT, moreSteps).group());
    }

    @Test
    void badOptionValuesNameTheOptionBeforeAnyWork() {
        assertBadValue("--lr=-1", "--lr", "-1");
        assertBadValue("--fit-lr=0", "--fit-lr", "0");
        assertBadValue("--steps=abc", "--steps", "abc");
        assertBadValue("--epochs=0", "--epochs", "0");
        assertBadValue("--batch-size=0", "--batch-size", "0");
    }

    private void assertBadValue(String arg, String option, String value) {
        AppRuns.assertBadValue(app, arg, option, value);
    }
}
