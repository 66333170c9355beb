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

/** The regression recipe drives A toward 10, in its own loop and with Sequential + fit. */
class RegressionAppTest {
    private static final Pattern STEP = Pattern.compile("Step #(\\d+) A = (-?[0-9.]+) Loss = ([0-9.]+)");
    private static final Pattern SEQUENTIAL = Pattern.compile("Sequential: A = (-?[0-9.]+)");

    private final RegressionApp app = new RegressionApp();

    private String run(String... args) throws Exception {
        return AppRuns.output(app, args);
    }

    private static double sequentialA(String out) {
        Matcher m = SEQUENTIAL.matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theRecipesHundredStepsAndFitBothEndNearTen(@TempDir Path dir) throws Exception {
        // the recipe's own 100 steps: A falls short of 10 by about 10·(1 − 2·0.02)^100 ≈ 0.2 plus SGD noise
        String out = run("--out=" + dir);
        List<Integer> steps = new ArrayList<>();
        List<Double> as = new ArrayList<>();
        Matcher m = STEP.matcher(out);
        while (m.find()) {
            steps.add(Integer.parseInt(m.group(1)));
            as.add(Double.parseDouble(m.group(2)));
            assertTrue(Double.isFinite(Double.parseDouble(m.group(3))), out);
        }
        assertEquals(List.of(25, 50, 75, 100), steps, out);
        assertTrue(as.get(0) < as.get(3), "A climbs from its N(0, 1) start toward 10: " + out);
        assertEquals(10, as.get(3), 1.0, out);
        assertEquals(10, sequentialA(out), 1.0, out);

        AppRuns.assertPicture(dir.resolve("regression.png"), out, 400, 300);
    }

    @Test
    void noPlotsWritesNoFileAndTheSameSeedPrintsTheSameRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("pictures");
        String first = run("--steps=25", "--epochs=1", "--no-plots", "--out=" + out);
        assertFalse(Files.exists(out), "nothing may be written with --no-plots");
        assertFalse(first.contains("picture:"), first);
        assertEquals(first, run("--steps=25", "--epochs=1", "--no-plots", "--out=" + out));
        String otherSeed = run("--steps=25", "--epochs=1", "--no-plots", "--seed=7");
        assertFalse(first.equals(otherSeed), "the seed decides the samples and the start");
    }

    @Test
    void badOptionValuesNameTheOptionBeforeAnyWork() {
        assertBadValue("--lr=-1", "--lr", "-1");
        assertBadValue("--lr=0", "--lr", "0");
        assertBadValue("--steps=abc", "--steps", "abc");
        assertBadValue("--epochs=0", "--epochs", "0");
        assertBadValue("--seed=x", "--seed", "x");
    }

    private void assertBadValue(String arg, String option, String value) {
        AppRuns.assertBadValue(app, arg, option, value);
    }
}
