package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tour's picture: the quartic with the descent's path, written where --out says and nowhere with --no-plots. */
class AutodiffTourTest {
    private final AutodiffTour app = new AutodiffTour();

    @Test
    void drawsTheQuarticAndTheDescentPath(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("nested/pictures");   // a missing folder is created
        String printed = AppRuns.output(app, "--steps=3000", "--out", out.toString());
        assertTrue(printed.contains("minimum found at x = -1.0000, f = -23.0000"), printed);
        AppRuns.assertPicture(out.resolve("autodiff-tour.png"), printed, 600, 400);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(1, files.count(), "the probe file of the --out check is gone");
        }
    }

    @Test
    void noPlotsWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("pictures");
        String printed = AppRuns.output(app, "--steps=100", "--out", out.toString(), "--no-plots");
        assertTrue(!printed.contains("picture:"), printed);
        assertTrue(Files.notExists(out), "--no-plots creates no folder");
    }

    @Test
    void badStepsAreRefused() {
        AppRuns.assertBadValue(app, "--steps=-3", "--steps", "-3");
    }
}
