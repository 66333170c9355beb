package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every app runs (with few steps) and prints the numbers its recipe promises. */
class ExamplesTest {

    private static String[] run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Examples.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void autodiffTourPrintsTheSeedNumbers() throws Exception {
        String[] r = run("autodiff-tour", "--steps=3000", "--no-plots");
        assertEquals("0", r[0]);
        String out = r[1];
        assertTrue(out.contains("dy/dx = 8.0"), out);
        assertTrue(out.contains("x.grad = 75.0") && out.contains("x.grad = 150.0") && out.contains("x.grad = 225.0"), out);
        assertTrue(out.contains("d/dx x^6 at x = 5: 18750.0"), out);
        assertTrue(out.contains("dy2/dy1 = 2.0, dy1/dw1 = 1.0, dy2/dw1 = 2.0"), out);
        assertTrue(out.contains("minimum found at x = -1.0000, f = -23.0000"), out);
    }

    @Test
    void theRunOfEveryAppGivesTheRealDataAppsQuickSettingsThatParse() {
        for (App app : Examples.apps().values()) {
            quick(app);
        }
        for (String name : List.of("fashion-mnist", "fashion-cnn")) {
            Options quick = quick(Examples.apps().get(name));
            assertEquals(1, quick.integer("epochs", 1), name);
            int limit = quick.integer("limit", 0);
            assertTrue(limit > 0 && limit <= 6000, name + " trains on at most a tenth of the 60,000 images: " + limit);
        }
    }

    /** The app's quick settings parsed (with --no-plots, so that no output folder is made). */
    private static Options quick(App app) {
        List<String> args = new ArrayList<>(app.quickArgs());
        args.add("--no-plots");
        return Options.parse(app.name(), app.options(), args.toArray(String[]::new));
    }

    @Test
    void listShowsTheNewAppsWithTheirOptions() throws Exception {
        String[] r = run("list");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("fashion-cnn") && r[1].contains("--limit=0") && r[1].contains("--batch-size=128"), r[1]);
        assertTrue(r[1].contains("sequence") && r[1].contains("--cell=lstm"), r[1]);
        r = run("sequence", "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].startsWith("usage: examples/run sequence [options]") && r[1].contains("--length=20"), r[1]);
    }

    @Test
    void unknownAppListsTheKnownOnes() throws Exception {
        String[] r = run("regresion");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown app \"regresion\"") && r[2].contains("autodiff-tour"), r[2]);
    }

    @Test
    void unknownOptionListsTheKnownOnes() throws Exception {
        String[] r = run("autodiff-tour", "--step=5");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("autodiff-tour: unknown option \"--step\" (known: --steps, --out, --no-plots)"), r[2]);
        assertEquals("", r[1]);
    }

    @Test
    void badOptionValueNamesTheOptionAndTheValue() throws Exception {
        String[] r = run("autodiff-tour", "--steps", "many");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("autodiff-tour: --steps must be an integer ≥ 1, got \"many\""), r[2]);
        r = run("autodiff-tour", "--steps=0");
        assertTrue(r[2].contains("--steps must be an integer ≥ 1, got \"0\""), r[2]);
        r = run("autodiff-tour", "--steps");
        assertTrue(r[2].contains("autodiff-tour: --steps needs a value"), r[2]);
    }

    @Test
    void anOutFolderThatCannotBeWrittenIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        String[] r = run("autodiff-tour", "--out=" + file);
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("autodiff-tour: --out \"" + file + "\" is an existing file, not a folder"), r[2]);
        assertEquals("", r[1], "nothing ran");

        r = run("autodiff-tour", "--out", "/proc/nope");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("autodiff-tour: --out \"/proc/nope\" is not a folder pictures can be written to ("), r[2]);
        assertEquals("", r[1], "nothing ran");

        r = run("autodiff-tour", "--out=" + file.resolve("below-a-file"));
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("is not a folder pictures can be written to"), r[2]);

        r = run("autodiff-tour", "--out=" + file, "--no-plots", "--steps=10");
        assertEquals("0", r[0], "with --no-plots the folder is not needed: " + r[2]);
    }
}
