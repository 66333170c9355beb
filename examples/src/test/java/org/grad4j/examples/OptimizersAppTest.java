package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short run of the optimizer comparison, judged by its printed table. */
class OptimizersAppTest {

    private final OptimizersApp app = new OptimizersApp();

    /** One printed table row. */
    record Row(double epochOneLoss, double finalLoss, double accuracy) {
    }

    private String run(String... args) throws Exception {
        return AppRuns.output(app, args);
    }

    /** The rows keyed "optimizer@rate", in printed order, for every run the app declares. */
    private static Map<String, Row> table(String out) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (OptimizersApp.Run run : OptimizersApp.runs()) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(run.optimizer()) + "\\s+"
                    + Pattern.quote(String.valueOf(run.learningRate())) + "\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+"
                    + Pattern.quote(run.note()) + "$").matcher(out);
            assertTrue(m.find(), "no row for " + run.optimizer() + " at " + run.learningRate() + " in:\n" + out);
            rows.put(run.optimizer() + "@" + run.learningRate(), new Row(Double.parseDouble(m.group(1)),
                    Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))));
        }
        return rows;
    }

    private static double startLoss(String out) {
        Matcher m = Pattern.compile("start loss: ([\\d.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void everyRuleAndRateGetsARowAndTheHonestOnesDescend(@TempDir Path dir) throws Exception {
        String out = run("--epochs=3", "--samples=256", "--no-plots", "--out", dir.toString());
        Map<String, Row> rows = table(out);
        assertEquals(12, rows.size(), "six rules at two rates each");
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            assertTrue(Double.isFinite(r.epochOneLoss()) && Double.isFinite(r.finalLoss()), e.getKey() + " " + r);
            assertTrue(r.finalLoss() >= 0 && r.accuracy() >= 0 && r.accuracy() <= 1, e.getKey() + " " + r);
        }
        double start = startLoss(out);
        // A few dozen steps at a small rate are gradient descent in the small-step regime: the loss goes down.
        for (String key : List.of("Adam@0.001", "SGD momentum 0.9@0.01", "SGD@0.01", "RMSprop@0.001")) {
            assertTrue(rows.get(key).finalLoss() < start, key + " ends at " + rows.get(key).finalLoss()
                    + ", not below the start " + start);
        }
        // Adadelta at 0.001: a step moves a weight by at most lr * sqrt(Ex + eps) / sqrt(1 - rho) (Eg holds at
        // least (1 - rho) g²), and Ex, fed only by these tiny steps, stays of the order of ten eps over 24 steps:
        // about 0.001 * 5e-3 a step, ~1e-4 in all for each of the 65 weights, far too little to change the loss
        // by 0.01. At lr 1.0 the same steps are a thousand times larger.
        Row adadeltaDefault = rows.get("Adadelta@0.001");
        Row adadeltaPaper = rows.get("Adadelta@1.0");
        assertEquals(start, adadeltaDefault.finalLoss(), 0.01, "Adadelta at its Keras default barely moves");
        assertTrue(Math.abs(start - adadeltaPaper.finalLoss()) > Math.abs(start - adadeltaDefault.finalLoss()),
                "Adadelta at 1.0 moves further than at 0.001: " + adadeltaPaper + " vs " + adadeltaDefault);
        assertTrue(out.contains("note: Adadelta at Keras' default rate 0.001 barely moves"), out);

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "--no-plots writes nothing");
        }
    }

    @Test
    void drawsTheLossCurvesAsAPng(@TempDir Path dir) throws Exception {
        String out = run("--epochs=2", "--samples=64", "--out", dir.toString());
        AppRuns.assertPicture(dir.resolve("optimizers.png"), out, 400, 300);
    }

    @Test
    void badOptionValuesNameTheOptionAndTheValue() {
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> run("--epochs=0", "--no-plots"));
        assertTrue(e.getMessage().contains("optimizers: --epochs must be an integer ≥ 1, got \"0\""), e.getMessage());
        e = assertThrows(Options.UsageException.class, () -> run("--seed=x1", "--no-plots"));
        assertTrue(e.getMessage().contains("optimizers: --seed must be an integer, got \"x1\""), e.getMessage());
    }
}
