package org.grad4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** What every app test does: run an app on a command line, check a picture it wrote, check a refused value. */
final class AppRuns {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private AppRuns() {
    }

    /** What the app prints for these options. */
    static String output(App app, String... args) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        app.run(Options.parse(app.name(), app.options(), args), new PrintStream(buffer, true, UTF_8));
        return buffer.toString(UTF_8);
    }

    /** {@code png} is a real PNG of at least the given size, and the app printed where it went. */
    static void assertPicture(Path png, String printed, int minWidth, int minHeight) throws Exception {
        assertTrue(Files.isRegularFile(png), png.getFileName() + " missing; printed:\n" + printed);
        assertTrue(printed.contains("picture: " + png.toAbsolutePath().normalize()), printed);
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), png.getFileName() + " signature");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png.getFileName() + " is not readable");
        assertTrue(image.getWidth() >= minWidth && image.getHeight() >= minHeight,
                png.getFileName() + " is " + image.getWidth() + "x" + image.getHeight());
    }

    /** The value is refused with a message naming the app, the option and the value, before anything is printed. */
    static void assertBadValue(App app, String arg, String option, String value) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Options.UsageException e = assertThrows(Options.UsageException.class,
                () -> app.run(Options.parse(app.name(), app.options(), new String[] {arg, "--no-plots"}),
                        new PrintStream(buffer, true, UTF_8)));
        assertTrue(e.getMessage().startsWith(app.name() + ": " + option + " must be "), e.getMessage());
        assertTrue(e.getMessage().endsWith("got \"" + value + "\""), e.getMessage());
        assertEquals(0, buffer.size(), "nothing printed before the options are checked");
    }
}
