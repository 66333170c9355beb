package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.grad4j.data.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fashion-mnist app on a small generated IDX set (200 training, 50 test images), so the test needs neither
 * the real data nor minutes: what it prints, the two pictures, and a --data that holds no data.
 */
class FashionMnistAppTest {
    private static final int TRAIN = 200;
    private static final int TEST = 50;
    private static final int SIDE = 28;
    private static final int CLASSES = 10;
    /** Every MISLABEL-th test image carries the next class's label, so a model that learned predicts it wrong. */
    private static final int MISLABEL = 6;

    private static final Pattern LOADED = Pattern.compile(
            "Fashion-MNIST from (.+): (\\d+) training and (\\d+) test images of 28x28, pixels scaled from 0\\.\\.255 to 0\\.\\.1");
    private static final Pattern EPOCH = Pattern.compile(
            "Epoch (\\d+)/(\\d+) - ([0-9.]+)s - loss: ([0-9.]+) - accuracy: ([0-9.]+)");
    private static final Pattern SECONDS = Pattern.compile(
            "seconds per epoch: ([0-9.]+) \\(mean of (\\d+), batch size 32; fastest ([0-9.]+), slowest ([0-9.]+)\\)");
    private static final Pattern TEST_LINE = Pattern.compile("test loss: ([0-9.]+) - test accuracy: ([0-9.]+)");
    private static final Pattern FIRST = Pattern.compile("first test image: predicted (.+) \\(p = ([0-9.]+)\\), true (.+)");
    private static final Pattern TALLY = Pattern.compile("first 25 test images: (\\d+) predicted right, (\\d+) wrong");

    private final FashionMnistApp app = new FashionMnistApp();

    /**
     * Writes the four gzip IDX files: class c is a bright band across rows 2c+4..2c+7 over faint noise, easy to
     * learn from 200 images; test images whose index is a multiple of MISLABEL get the label c + 1.
     */
    static Path writeSmallSet(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        int[] trainLabels = new int[TRAIN];
        int[] testLabels = new int[TEST];
        int[] testDrawn = new int[TEST];
        for (int i = 0; i < TRAIN; i++) {
            trainLabels[i] = random.nextInt(CLASSES);
        }
        for (int i = 0; i < TEST; i++) {
            testDrawn[i] = random.nextInt(CLASSES);
            testLabels[i] = i % MISLABEL == 0 ? (testDrawn[i] + 1) % CLASSES : testDrawn[i];
        }
        write(dir.resolve("train-images-idx3-ubyte.gz"), idx(0x08, new int[] {TRAIN, SIDE, SIDE}, images(trainLabels, random)));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), idx(0x08, new int[] {TRAIN}, bytes(trainLabels)));
        write(dir.resolve("t10k-images-idx3-ubyte.gz"), idx(0x08, new int[] {TEST, SIDE, SIDE}, images(testDrawn, random)));
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), idx(0x08, new int[] {TEST}, bytes(testLabels)));
        return dir;
    }

    private static byte[] images(int[] classes, SplittableRandom random) {
        byte[] pixels = new byte[classes.length * SIDE * SIDE];
        for (int n = 0; n < classes.length; n++) {
            for (int r = 0; r < SIDE; r++) {
                boolean band = r >= 2 * classes[n] + 4 && r < 2 * classes[n] + 8;
                for (int c = 0; c < SIDE; c++) {
                    int value = band ? 200 + random.nextInt(56) : random.nextInt(40);
                    pixels[(n * SIDE + r) * SIDE + c] = (byte) value;
                }
            }
        }
        return pixels;
    }

    private static byte[] bytes(int[] labels) {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            b[i] = (byte) labels[i];
        }
        return b;
    }

    private static byte[] idx(int type, int[] dims, byte[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(values).array();
    }

    private static void write(Path file, byte[] data) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(data);
        }
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

    private static Matcher only(List<String> lines, Pattern pattern) {
        List<Matcher> found = matching(lines, pattern);
        assertEquals(1, found.size(), pattern + " in:\n" + String.join("\n", lines));
        return found.get(0);
    }

    @Test
    void trainsEvaluatesAndDrawsBothPictures(@TempDir Path data, @TempDir Path out) throws Exception {
        writeSmallSet(data);
        int epochs = 5;
        String printed = AppRuns.output(app, "--data", data.toString(), "--epochs=" + epochs, "--out=" + out);
        List<String> lines = printed.lines().toList();

        Matcher loaded = only(lines, LOADED);
        assertEquals(data.toString(), loaded.group(1));
        assertEquals(TRAIN, Integer.parseInt(loaded.group(2)));
        assertEquals(TEST, Integer.parseInt(loaded.group(3)));
        assertTrue(printed.contains("flatten (Flatten)") && printed.contains("dense_1 (Dense)"), printed);
        assertTrue(printed.contains("Total params: 101,770"), "784*128+128 + 128*10+10: " + printed);

        List<Matcher> epochLines = matching(lines, EPOCH);
        assertEquals(epochs, epochLines.size(), printed);
        double secondsSum = 0;
        for (int i = 0; i < epochs; i++) {
            assertEquals(i + 1, Integer.parseInt(epochLines.get(i).group(1)), printed);
            assertEquals(epochs, Integer.parseInt(epochLines.get(i).group(2)), printed);
            secondsSum += Double.parseDouble(epochLines.get(i).group(3));
        }
        double firstLoss = Double.parseDouble(epochLines.get(0).group(4));
        double lastLoss = Double.parseDouble(epochLines.get(epochs - 1).group(4));
        assertTrue(lastLoss < firstLoss, "training lowers the loss: " + firstLoss + " -> " + lastLoss);

        Matcher seconds = only(lines, SECONDS);
        assertEquals(epochs, Integer.parseInt(seconds.group(2)));
        double mean = Double.parseDouble(seconds.group(1));
        // the epoch lines round to 0.1 s, so their mean is within 0.05 s of the printed one
        assertEquals(secondsSum / epochs, mean, 0.05 + 1e-9, printed);
        assertTrue(Double.parseDouble(seconds.group(3)) <= mean && mean <= Double.parseDouble(seconds.group(4)), printed);

        Matcher test = only(lines, TEST_LINE);
        double accuracy = Double.parseDouble(test.group(2));
        // a sixth of the test labels are wrong on purpose: a model that learned the bands scores about 5/6
        assertTrue(accuracy >= 0.6 && accuracy <= 0.9, "test accuracy " + accuracy + "\n" + printed);
        assertTrue(Double.parseDouble(test.group(1)) > 0, printed);

        Matcher first = only(lines, FIRST);
        assertTrue(Datasets.FASHION_MNIST_CLASSES.contains(first.group(1))
                && Datasets.FASHION_MNIST_CLASSES.contains(first.group(3)), first.group());
        Matcher tally = only(lines, TALLY);
        int right = Integer.parseInt(tally.group(1));
        int wrong = Integer.parseInt(tally.group(2));
        assertEquals(25, right + wrong, tally.group());
        assertTrue(wrong >= 5, "the 5 mislabelled images among the first 25 are predicted wrong: " + tally.group());

        Path grid = out.resolve("fashion-mnist-grid.png");
        AppRuns.assertPicture(grid, printed, 1, 1);
        BufferedImage image = ImageIO.read(grid.toFile());
        assertEquals(PredictionGrid.width(SIDE), image.getWidth());
        assertEquals(PredictionGrid.height(25, SIDE), image.getHeight());
        assertEquals(wrong, cellsTitledIn(image, PredictionGrid.WRONG), "red titles = wrong predictions");
        assertEquals(right, cellsTitledIn(image, PredictionGrid.RIGHT), "blue titles = right predictions");

        Path curves = out.resolve("fashion-mnist-curves.png");
        AppRuns.assertPicture(curves, printed, 720, 440);
        BufferedImage chart = ImageIO.read(curves.toFile());
        assertEquals(720, chart.getWidth());
        assertEquals(440, chart.getHeight());
    }

    /** How many grid cells have a title drawn in {@code colour} (anti-aliased text keeps some exact pixels). */
    private static int cellsTitledIn(BufferedImage image, Color colour) {
        int cellWidth = (image.getWidth() - 2 * PredictionGrid.MARGIN) / PredictionGrid.COLUMNS;
        int cellHeight = (image.getHeight() - PredictionGrid.HEADER_HEIGHT - 2 * PredictionGrid.MARGIN) / 5;
        int count = 0;
        for (int cell = 0; cell < 25; cell++) {
            int left = PredictionGrid.MARGIN + (cell % PredictionGrid.COLUMNS) * cellWidth;
            int top = PredictionGrid.MARGIN + PredictionGrid.HEADER_HEIGHT + (cell / PredictionGrid.COLUMNS) * cellHeight;
            boolean found = false;
            for (int y = top; y < top + PredictionGrid.TITLE_HEIGHT && !found; y++) {
                for (int x = left; x < left + cellWidth && !found; x++) {
                    found = (image.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff);
                }
            }
            count += found ? 1 : 0;
        }
        return count;
    }

    @Test
    void noPlotsWritesNoPictureAndLimitTrainsOnTheFirstImages(@TempDir Path data, @TempDir Path out) throws Exception {
        writeSmallSet(data);
        String printed = AppRuns.output(app, "--data=" + data, "--epochs=1", "--limit=100", "--no-plots", "--out=" + out);
        assertTrue(printed.contains(": 100 training (the first of 200, --limit) and 50 test images of 28x28"), printed);
        assertFalse(printed.contains("picture:"), printed);
        assertTrue(printed.contains("test loss: "), printed);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aDataFolderThatIsMissingOrIncompleteIsAClearUsageError(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-folder");
        String[] r = launch("fashion-mnist", "--data", missing.toString(), "--no-plots");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("fashion-mnist: --data \"" + missing + "\" is not a folder (it does not exist); "
                + "give the folder holding train-images-idx3-ubyte.gz"), r[2]);
        assertEquals("", r[1], "nothing loaded or trained");

        Path partial = Files.createDirectory(dir.resolve("partial"));
        writeSmallSet(partial);
        Files.delete(partial.resolve("t10k-labels-idx1-ubyte.gz"));
        r = launch("fashion-mnist", "--data=" + partial, "--no-plots");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("fashion-mnist: --data \"" + partial + "\": fashion-mnist: " + partial
                + " does not hold the four files"), r[2]);
        assertTrue(r[2].contains("missing: [t10k-labels-idx1-ubyte.gz]"), r[2]);
        assertEquals("", r[1]);
    }

    @Test
    void badValuesAreRefusedBeforeAnyWork() {
        AppRuns.assertBadValue(app, "--epochs=0", "--epochs", "0");
        AppRuns.assertBadValue(app, "--batch-size=none", "--batch-size", "none");
        assertTrue(Examples.apps().containsKey("fashion-mnist"), "the launcher knows the app");
    }

    private static String[] launch(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Examples.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }
}
