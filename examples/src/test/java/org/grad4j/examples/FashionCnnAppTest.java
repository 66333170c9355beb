package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * The fashion-cnn app on the generated IDX set of {@link FashionMnistAppTest} (200 training, 50 test images, a sixth
 * of the test labels wrong on purpose), cut by {@code --limit}: the convnet Keras describes, trained a few small
 * epochs in a few seconds, must lower its loss, score well above chance and draw its curves.
 */
class FashionCnnAppTest {
    private static final Pattern EPOCH = Pattern.compile(
            "Epoch (\\d+)/(\\d+) - ([0-9.]+)s - loss: ([0-9.]+) - accuracy: ([0-9.]+) - val_loss: ([0-9.]+) - val_accuracy: ([0-9.]+)");
    private static final Pattern TEST_LINE = Pattern.compile("test loss: ([0-9.]+) - test accuracy: ([0-9.]+)");

    private final FashionCnnApp app = new FashionCnnApp();

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

    @Test
    void theKerasConvnetTrainsOnTheFirstImagesAndDrawsItsCurves(@TempDir Path data, @TempDir Path out) throws Exception {
        FashionMnistAppTest.writeSmallSet(data);
        int epochs = 3;
        String printed = AppRuns.output(app, "--data", data.toString(), "--limit=160", "--batch-size=16",
                "--epochs=" + epochs, "--out=" + out);

        assertTrue(printed.contains("Fashion-MNIST from " + data + ": 160 training (the first of 200, --limit) and 50 test "
                + "images of 28x28, pixels scaled from 0..255 to 0..1"), printed);
        for (String layer : List.of("conv2d (Conv2D)", "max_pooling2d (MaxPooling2D)", "conv2d_1 (Conv2D)",
                "max_pooling2d_1 (MaxPooling2D)", "flatten (Flatten)", "dropout (Dropout)", "dense (Dense)")) {
            assertTrue(printed.contains(layer), layer + " in:\n" + printed);
        }
        assertTrue(printed.contains("(None, 26, 26, 32)") && printed.contains("(None, 5, 5, 64)")
                && printed.contains("(None, 1600)"), printed);
        // 3*3*1*32+32 + 3*3*32*64+64 + 1600*10+10, the Keras example's count
        assertTrue(printed.contains("Total params: 34,826"), printed);
        assertTrue(printed.contains("3 epochs of 10 steps (batch size 16); val_loss and val_accuracy are on the 50 test images"),
                printed);

        List<Matcher> lines = matching(printed, EPOCH);
        assertEquals(epochs, lines.size(), printed);
        double firstLoss = Double.parseDouble(lines.get(0).group(4));
        double lastLoss = Double.parseDouble(lines.get(epochs - 1).group(4));
        assertTrue(lastLoss < firstLoss, "training lowers the loss: " + firstLoss + " -> " + lastLoss + "\n" + printed);

        List<Matcher> test = matching(printed, TEST_LINE);
        assertEquals(1, test.size(), printed);
        double accuracy = Double.parseDouble(test.get(0).group(2));
        // evaluate and the last epoch's validation see the same weights and the same 50 images
        assertEquals(Double.parseDouble(lines.get(epochs - 1).group(7)), accuracy, 1e-4, printed);
        // the bands are easy, but a sixth of the labels are wrong: chance is 0.1, a perfect model 5/6
        assertTrue(accuracy >= 0.5 && accuracy <= 0.9, "test accuracy " + accuracy + "\n" + printed);
        assertTrue(printed.contains("seconds per epoch: "), printed);

        AppRuns.assertPicture(out.resolve(FashionCnnApp.CURVES_FILE), printed, 720, 440);
    }

    @Test
    void theSameSeedRepeatsTheRunAndNoPlotsDrawsNothing(@TempDir Path data, @TempDir Path out) throws Exception {
        FashionMnistAppTest.writeSmallSet(data);
        String[] args = {"--data=" + data, "--limit=64", "--batch-size=32", "--epochs=1", "--no-plots", "--out=" + out};
        String first = AppRuns.output(app, args);
        String second = AppRuns.output(app, args);
        assertEquals(numbers(first, TEST_LINE), numbers(second, TEST_LINE));
        assertFalse(first.contains("picture:"), first);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(0, files.count());
        }
    }

    private static String numbers(String printed, Pattern pattern) {
        List<Matcher> found = matching(printed, pattern);
        assertEquals(1, found.size(), printed);
        return found.get(0).group();
    }

    @Test
    void aLimitAboveTheTrainingImagesIsAUsageErrorBeforeTraining(@TempDir Path data) throws Exception {
        FashionMnistAppTest.writeSmallSet(data);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Options options = Options.parse(app.name(), app.options(), new String[] {"--data=" + data, "--limit=201", "--no-plots"});
        Options.UsageException e = assertThrows(Options.UsageException.class,
                () -> app.run(options, new PrintStream(buffer, true, StandardCharsets.UTF_8)));
        assertEquals("fashion-cnn: --limit 201 is more than the 200 training images in " + data
                + " (0 trains on all of them)", e.getMessage());
        assertEquals("", buffer.toString(StandardCharsets.UTF_8), "nothing printed, nothing trained");
    }

    @Test
    void badValuesAreRefusedBeforeAnyWork() {
        AppRuns.assertBadValue(app, "--epochs=0", "--epochs", "0");
        AppRuns.assertBadValue(app, "--limit=-1", "--limit", "-1");
        AppRuns.assertBadValue(app, "--batch-size=big", "--batch-size", "big");
        assertTrue(Examples.apps().containsKey("fashion-cnn"), "the launcher knows the app");
    }
}
