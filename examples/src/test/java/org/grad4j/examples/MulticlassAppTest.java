package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.grad4j.layers.Dense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multiclass app, run with few epochs: what it prints, the model file it saves and the picture it draws. */
class MulticlassAppTest {
    private static final Pattern EPOCH = Pattern.compile(
            "Epoch (\\d+)/(\\d+) - loss: ([0-9.]+) - accuracy: ([0-9.]+)( - val_loss: ([0-9.]+) - val_accuracy: ([0-9.]+))?");
    private static final Pattern FINAL = Pattern.compile(
            "final val_accuracy = ([0-9.]+) \\(nearest true centre, the best rule in expectation: ([0-9.]+)\\)");
    private static final Pattern PREDICTION = Pattern.compile(
            "sample (\\d+): predicted class (\\d+) \\(p = ([0-9.]+)\\), true class (\\d+)");
    private static final Pattern DIFFERENCE = Pattern.compile(
            "loaded model vs original on (\\d+) validation samples: max \\|difference\\| = (\\S+)( \\(identical\\))?");

    private final MulticlassApp app = new MulticlassApp();

    private List<String> run(String... args) throws Exception {
        return AppRuns.output(app, args).lines().toList();
    }

    private static List<Matcher> matching(List<String> lines, Pattern pattern) {
        List<Matcher> found = new ArrayList<>();
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                found.add(m);
            }
        }
        return found;
    }

    private static List<String> filesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void learnsTheClustersAndTheReloadedModelPredictsTheSame(@TempDir Path dir) throws Exception {
        new Dense(4);   // a layer made earlier in the JVM: the app still names its layers as a fresh session does
        int epochs = 4;
        List<String> out = run("--epochs=" + epochs, "--out=" + dir);
        String text = String.join("\n", out);

        int listed = out.indexOf("trainable variables:");
        assertTrue(listed >= 0, text);
        assertEquals(List.of("dense/kernel:0 [9, 64]", "dense/bias:0 [64]", "dense_1/kernel:0 [64, 64]", "dense_1/bias:0 [64]",
                "dense_2/kernel:0 [64, 3]", "dense_2/bias:0 [3]"), out.subList(listed + 1, listed + 7), text);
        assertTrue(text.contains("Model: \"sequential\"") && text.contains("dense_2 (Dense)"), text);
        long params = (9 * 64 + 64) + (64 * 64 + 64) + (64 * 3 + 3);
        assertTrue(text.contains(String.format(Locale.ROOT, "Total params: %,d", params)), text);

        List<Matcher> epochLines = matching(out, EPOCH);
        assertEquals(epochs, epochLines.size(), text);
        double lastValAccuracy = Double.NaN;
        for (int i = 0; i < epochs; i++) {
            Matcher m = epochLines.get(i);
            int epoch = Integer.parseInt(m.group(1));
            assertEquals(i + 1, epoch, text);
            assertEquals(epochs, Integer.parseInt(m.group(2)), text);
            assertEquals(epoch % 2 == 0, m.group(5) != null, "val_ entries exactly on the even epochs: " + m.group());
            if (m.group(5) != null) {
                lastValAccuracy = Double.parseDouble(m.group(7));
            }
        }
        double firstLoss = Double.parseDouble(epochLines.get(0).group(3));
        double lastLoss = Double.parseDouble(epochLines.get(epochs - 1).group(3));
        assertTrue(lastLoss < firstLoss, "training lowers the loss: " + firstLoss + " -> " + lastLoss);

        List<Matcher> finals = matching(out, FINAL);
        assertEquals(1, finals.size(), text);
        double finalValAccuracy = Double.parseDouble(finals.get(0).group(1));
        assertEquals(lastValAccuracy, finalValAccuracy, 0.0, text);
        assertTrue(finalValAccuracy >= 0.9, "final val_accuracy " + finalValAccuracy);
        double ceiling = Double.parseDouble(finals.get(0).group(2));
        assertTrue(ceiling >= 0.9 && ceiling <= 1, "clusters separable enough: nearest-centre accuracy " + ceiling);

        Path model = dir.resolve("multiclass.g4j");
        assertTrue(Files.size(model) > 0, model.toString());
        assertTrue(out.contains("model saved: " + model.toAbsolutePath().normalize()), text);
        List<Matcher> predictions = matching(out, PREDICTION);
        assertEquals(5, predictions.size(), text);
        for (Matcher p : predictions) {
            assertTrue(Integer.parseInt(p.group(2)) < 3 && Integer.parseInt(p.group(4)) < 3, p.group());
        }
        List<Matcher> difference = matching(out, DIFFERENCE);
        assertEquals(1, difference.size(), text);
        assertEquals(150, Integer.parseInt(difference.get(0).group(1)), "20% of 3 x 250 samples: " + text);
        assertEquals(0.0, Double.parseDouble(difference.get(0).group(2)), text);
        assertNotNull(difference.get(0).group(3), text);

        AppRuns.assertPicture(dir.resolve("multiclass.png"), text, 101, 101);
    }

    @Test
    void noPlotsSavesOnlyTheModelAndRunsAreReproducible(@TempDir Path first, @TempDir Path second) throws Exception {
        List<String> a = run("--epochs=2", "--no-plots", "--out=" + first);
        List<String> b = run("--epochs=2", "--no-plots", "--out=" + second);
        assertEquals(List.of("multiclass.g4j"), filesIn(first));
        assertFalse(a.stream().anyMatch(line -> line.startsWith("picture:")), String.join("\n", a));
        List<String> bAsIfFirst = b.stream().map(line -> line.replace(second.toString(), first.toString())).toList();
        assertEquals(a, bAsIfFirst, "same seed, same output");
    }

    @Test
    void badValuesAreRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> run("--epochs=ten", "--out=" + dir));
        assertEquals("multiclass: --epochs must be an integer ≥ 1, got \"ten\"", e.getMessage());
        e = assertThrows(Options.UsageException.class, () -> run("--epochs", "0", "--out=" + dir));
        assertTrue(e.getMessage().contains("--epochs must be an integer ≥ 1, got \"0\""), e.getMessage());
        e = assertThrows(Options.UsageException.class, () -> run("--classes=10", "--out=" + dir));
        assertTrue(e.getMessage().startsWith("multiclass: --classes must be at most 9") && e.getMessage().contains("\"10\""),
                e.getMessage());
        assertEquals(List.of(), filesIn(dir));
    }
}
