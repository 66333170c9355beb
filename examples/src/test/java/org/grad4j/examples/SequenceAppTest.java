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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence app on short sequences (a few hundred training steps, seconds): each recurrent cell must learn the
 * adding problem well enough to beat the always-1.0 baseline clearly, and the numbers it prints must agree with
 * the data and with each other.
 */
class SequenceAppTest {
    private static final Pattern EPOCH = Pattern.compile("Epoch (\\d+)/(\\d+) - ([0-9.]+)s - loss: ([0-9.]+) - val_loss: ([0-9.]+)");
    private static final Pattern MSE = Pattern.compile(
            "test MSE: (lstm|gru) ([0-9.]+) - baseline \\(always 1\\.0\\) ([0-9.]+) \\(expected 1/6 = 0\\.1667\\)");
    private static final Pattern SHOWN = Pattern.compile(
            "test sequence (\\d+): marked steps (\\d+) and (\\d+), values ([0-9.]+) \\+ ([0-9.]+) = ([0-9.]+), predicted (-?[0-9.]+)");
    private static final int LENGTH = 6;
    private static final int TEST = 160;
    private static final long SEED = 42;

    private final SequenceApp app = new SequenceApp();

    private static List<Matcher> matching(String printed, Pattern pattern) {
        List<Matcher> found = new ArrayList<>();
        printed.lines().forEach(line -> {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                found.add(m);
            }
        });
        return found;
    }

    private static String[] args(String cell, String... more) {
        List<String> all = new ArrayList<>(List.of("--cell=" + cell, "--length=" + LENGTH, "--train=640", "--test=" + TEST,
                "--batch-size=16", "--seed=" + SEED));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Checks the run's numbers and returns the model's test MSE. */
    private static double checkRun(String printed, String cell, int epochs) {
        List<Matcher> lines = matching(printed, EPOCH);
        assertEquals(epochs, lines.size(), printed);
        double firstLoss = Double.parseDouble(lines.get(0).group(4));
        double lastLoss = Double.parseDouble(lines.get(epochs - 1).group(4));
        assertTrue(lastLoss < firstLoss, "training lowers the loss: " + firstLoss + " -> " + lastLoss + "\n" + printed);

        List<Matcher> mse = matching(printed, MSE);
        assertEquals(1, mse.size(), printed);
        assertEquals(cell, mse.get(0).group(1));
        double model = Double.parseDouble(mse.get(0).group(2));
        double baseline = Double.parseDouble(mse.get(0).group(3));
        double expectedBaseline = AddingProblem.generate(TEST, LENGTH, SequenceApp.testSeed(SEED)).constantMse(1.0);
        assertEquals(expectedBaseline, baseline, 0.00005 + 1e-9, "the baseline is scored on the test sequences: " + printed);
        // the last validation pass and predict see the same weights and the same sequences (160: whole batches)
        assertEquals(Double.parseDouble(lines.get(epochs - 1).group(5)), model, 0.0001 + 1e-9, printed);
        assertTrue(model < baseline / 3, cell + " test MSE " + model + " is not clearly below the baseline's " + baseline
                + "\n" + printed);

        List<Matcher> shown = matching(printed, SHOWN);
        assertEquals(SequenceApp.SHOWN, shown.size(), printed);
        for (Matcher m : shown) {
            int first = Integer.parseInt(m.group(2));
            int second = Integer.parseInt(m.group(3));
            assertTrue(first < LENGTH / 2 && second >= LENGTH / 2 && second < LENGTH, m.group());
            double sum = Double.parseDouble(m.group(4)) + Double.parseDouble(m.group(5));
            assertEquals(sum, Double.parseDouble(m.group(6)), 0.0015, m.group());
        }
        return model;
    }

    @Test
    void anLstmLearnsTheAddingProblemBeyondTheBaselineAndDrawsItsPredictions(@TempDir Path out) throws Exception {
        int epochs = 4;
        String printed = AppRuns.output(app, args("lstm", "--epochs=" + epochs, "--lr=0.03", "--out=" + out));
        assertTrue(printed.startsWith("adding problem: 640 training and 160 test sequences of 6 steps"), printed);
        // LSTM(16) on 2 features: 4 gates × 16 × (2 + 16 + 1); Dense(1): 16 + 1
        assertTrue(printed.contains("lstm (LSTM)") && printed.contains("Total params: 1,233"), printed);
        checkRun(printed, "lstm", epochs);
        AppRuns.assertPicture(out.resolve(SequenceApp.PICTURE_FILE), printed, 720, 440);
    }

    @Test
    void aGruLearnsItTooAndNoPlotsDrawsNothing(@TempDir Path out) throws Exception {
        int epochs = 3;
        String printed = AppRuns.output(app, args("gru", "--epochs=" + epochs, "--lr=0.02", "--no-plots", "--out=" + out));
        assertTrue(printed.contains("gru (GRU)"), printed);
        checkRun(printed, "gru", epochs);
        assertFalse(printed.contains("picture:"), printed);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void badValuesAreRefusedBeforeAnyWork() {
        AppRuns.assertBadValue(app, "--cell=rnn", "--cell", "rnn");
        AppRuns.assertBadValue(app, "--length=1", "--length", "1");
        AppRuns.assertBadValue(app, "--lr=0", "--lr", "0");
        AppRuns.assertBadValue(app, "--test=0", "--test", "0");
        assertTrue(Examples.apps().containsKey("sequence"), "the launcher knows the app");
    }
}
