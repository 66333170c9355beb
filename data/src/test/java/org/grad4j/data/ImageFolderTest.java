package org.grad4j.data;

import static org.grad4j.data.Passes.pass;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageFolderTest {

    @TempDir
    Path dir;

    /** A solid-colour RGB image; {@code rgb} is 0xRRGGBB. */
    private static Path image(Path file, int width, int height, int rgb, String format) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                img.setRGB(c, r, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, format, file.toFile()), format);
        return file;
    }

    /**
     * cats: 4 PNGs of red (0xC81E0A) 6x4 plus a notes.txt to ignore; dogs: 3 images in blue, one a JPEG, one a BMP,
     * one in a sub-folder, and a README without extension; a loose file in the root that is no class.
     */
    private Path pets() throws IOException {
        Path root = dir.resolve("pets");
        for (int i = 0; i < 4; i++) {
            image(root.resolve("cats/cat" + i + ".png"), 6, 4, 0xC81E0A, "png");
        }
        Files.writeString(root.resolve("cats/notes.txt"), "not an image");
        image(root.resolve("dogs/a.PNG"), 6, 4, 0x0A14F0, "png");
        image(root.resolve("dogs/b.jpg"), 6, 4, 0x0A14F0, "jpg");
        image(root.resolve("dogs/more/c.bmp"), 8, 8, 0x0A14F0, "bmp");
        Files.writeString(root.resolve("dogs/README"), "dogs");
        image(root.resolve("loose.png"), 2, 2, 0, "png");
        return root;
    }

    @Test
    void classesAreSortedSubFoldersAndOnlyImageFilesCount() throws IOException {
        ImageFolder f = ImageFolder.read(pets()).imageSize(4, 6).batchSize(3).shuffle(false);
        assertEquals(List.of("cats", "dogs"), f.classNames());
        Dataset d = f.training();
        assertTrue(d.isBatched());
        assertEquals(3, d.cardinality());
        List<Element> es = pass(d);
        assertEquals(3, es.size());
        assertArrayEquals(new long[] {3, 4, 6, 3}, es.get(0).x().shape());
        assertEquals(DataType.FLOAT, es.get(0).x().dataType());
        assertArrayEquals(new long[] {1, 4, 6, 3}, es.get(2).x().shape());
        List<Float> labels = new ArrayList<>();
        for (Element e : es) {
            for (float v : e.y().toFloatVector()) {
                labels.add(v);
            }
        }
        assertEquals(List.of(0f, 0f, 0f, 0f, 1f, 1f, 1f), labels);
        // a PNG at its own size comes through exactly: 0..255 values, channels last
        INDArray cat = es.get(0).x().slice(0);
        assertArrayEquals(new float[] {200, 30, 10}, cat.get(org.nd4j.linalg.indexing.NDArrayIndex.point(3),
                org.nd4j.linalg.indexing.NDArrayIndex.point(5), org.nd4j.linalg.indexing.NDArrayIndex.all()).toFloatVector());
        // the 8x8 BMP is resized to 4x6 like the others
        assertEquals(10f, es.get(2).x().getFloat(0, 0, 0, 0));
        assertEquals(240f, es.get(2).x().getFloat(0, 3, 5, 2));
    }

    @Test
    void grayscaleAndOneHot() throws IOException {
        ImageFolder f = ImageFolder.read(pets()).imageSize(2, 3).grayscale().labelMode(LabelMode.CATEGORICAL)
                .batchSize(7).shuffle(false);
        Element all = pass(f.training()).get(0);
        assertArrayEquals(new long[] {7, 2, 3, 1}, all.x().shape());
        assertArrayEquals(new long[] {7, 2}, all.y().shape());
        assertArrayEquals(new float[] {1, 0}, all.y().getRow(0).toFloatVector());
        assertArrayEquals(new float[] {0, 1}, all.y().getRow(6).toFloatVector());
        float red = 0.2989f * 200 + 0.5870f * 30 + 0.1140f * 10;
        assertEquals(red, all.x().getFloat(0, 1, 2, 0), 1e-3);
    }

    @Test
    void grayImagesKeepTheirValues() throws IOException {
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 1, 0, 100);
        Path file = dir.resolve("g/only/gray.png");
        Files.createDirectories(file.getParent());
        ImageIO.write(gray, "png", file.toFile());
        Element e = pass(ImageFolder.read(dir.resolve("g")).imageSize(2, 3).shuffle(false).training()).get(0);
        assertEquals(100f, e.x().getFloat(0, 1, 1, 0), "no gamma conversion of gray values");
        assertEquals(100f, e.x().getFloat(0, 1, 1, 2), "gray repeated over RGB");
        assertEquals(0f, e.x().getFloat(0, 0, 0, 1));
    }

    @Test
    void bilinearResizeSamplesAtHalfPixelCentres() {
        ImageDecoder up = new ImageDecoder(1, 4, 1);
        assertArrayEquals(new float[] {0, 1, 3, 4}, up.resize(new float[] {0, 4}, 1, 2));
        ImageDecoder down = new ImageDecoder(1, 2, 1);
        assertArrayEquals(new float[] {1, 5}, down.resize(new float[] {0, 2, 4, 6}, 1, 4));
        ImageDecoder square = new ImageDecoder(2, 2, 2);
        float[] in = new float[4 * 4 * 2];
        for (int i = 0; i < 16; i++) {
            in[2 * i] = i;
            in[2 * i + 1] = 100;
        }
        // each output is the mean of a 2x2 block: (0 + 1 + 4 + 5) / 4 = 2.5 ...
        assertArrayEquals(new float[] {2.5f, 100, 4.5f, 100, 10.5f, 100, 12.5f, 100}, square.resize(in, 4, 4));
    }

    @Test
    void validationSplitIsTheLastFractionOfTheSeededFileList() throws IOException {
        Path root = dir.resolve("many");
        for (int i = 0; i < 20; i++) {
            image(root.resolve("c" + (i % 3) + "/img" + i + ".png"), 2, 2, i * 10, "png");
        }
        ImageFolder f = ImageFolder.read(root).imageSize(2, 2).batchSize(4).shuffle(9).validationSplit(0.25);
        Set<Float> train = values(f.training());
        Set<Float> val = values(f.validation());
        assertEquals(15, train.size());
        assertEquals(5, val.size());
        Set<Float> union = new HashSet<>(train);
        union.addAll(val);
        assertEquals(20, union.size(), "disjoint, and together all images");
        ImageFolder again = ImageFolder.read(root).imageSize(2, 2).batchSize(4).shuffle(9).validationSplit(0.25);
        assertEquals(val, values(again.validation()), "the same seed gives the same split");
        assertNotEquals(val, values(ImageFolder.read(root).imageSize(2, 2).shuffle(10).validationSplit(0.25).validation()));

        Dataset t = f.training();
        List<Float> first = order(t);
        List<Float> second = order(t);
        assertNotEquals(first, second, "reshuffled every pass");
        Dataset t2 = ImageFolder.read(root).imageSize(2, 2).batchSize(4).shuffle(9).validationSplit(0.25).training();
        assertEquals(first, order(t2));
        assertEquals(second, order(t2));

        String m = assertThrows(IllegalStateException.class,
                () -> ImageFolder.read(root).validationSplit(0.2).training()).getMessage();
        assertTrue(m.contains("needs a seed"), m);
        assertEquals(4, values(ImageFolder.read(root).imageSize(2, 2).shuffle(false).validationSplit(0.2).validation()).size());
        assertThrows(IllegalStateException.class, () -> ImageFolder.read(root).shuffle(1).validation());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.read(root).validationSplit(1.0));
        String tiny = assertThrows(DatasetException.class,
                () -> ImageFolder.read(root).shuffle(1).validationSplit(0.01).training()).getMessage();
        assertTrue(tiny.contains("leaves no validation images"), tiny);
    }

    /** The red value of the top-left pixel of every image, which identifies it in validationSplit's folder. */
    private static Set<Float> values(Dataset d) {
        return new HashSet<>(order(d));
    }

    private static List<Float> order(Dataset d) {
        List<Float> out = new ArrayList<>();
        for (Element e : pass(d)) {
            for (long i = 0; i < e.x().size(0); i++) {
                out.add(e.x().getFloat(i, 0, 0, 2));
            }
        }
        return out;
    }

    @Test
    void unreadableFilesAreNamedBeforeAnyElementIsProduced() throws IOException {
        Path root = pets();
        Path corrupt = Files.write(root.resolve("cats/corrupt.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        Path empty = Files.write(root.resolve("dogs/empty.jpeg"), new byte[0]);
        ImageFolder f = ImageFolder.read(root).shuffle(false);
        DatasetException e = assertThrows(DatasetException.class, f::training);
        String m = e.getMessage();
        assertTrue(m.contains("2 unreadable image files"), m);
        assertTrue(m.contains(corrupt + ": not a PNG, JPEG, BMP or GIF image"), m);
        assertTrue(m.contains(empty + ": the file is empty (0 bytes)"), m);
        assertThrows(DatasetException.class, f::classNames);
    }

    @Test
    void aFileThatBreaksAfterTheCheckIsNamedWhenDecoded() throws IOException {
        Path root = dir.resolve("late");
        Path file = image(root.resolve("a/x.png"), 4, 4, 0x102030, "png");
        Dataset d = ImageFolder.read(root).imageSize(4, 4).shuffle(false).training();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, 40));   // header intact, pixel data cut off
        String m = assertThrows(DatasetException.class, () -> pass(d)).getMessage();
        assertTrue(m.contains(file.toString()) && m.contains("could not be decoded"), m);
    }

    @Test
    void emptyFoldersAreRefusedClearly() throws IOException {
        Path none = dir.resolve("none");
        assertTrue(assertThrows(DatasetException.class, () -> ImageFolder.read(none).classNames()).getMessage()
                .contains(none + " does not exist"));
        Path flat = dir.resolve("flat");
        image(flat.resolve("a.png"), 2, 2, 0, "png");
        String m = assertThrows(DatasetException.class, () -> ImageFolder.read(flat).classNames()).getMessage();
        assertTrue(m.contains("has no class sub-folders"), m);
        Path emptyClass = dir.resolve("ec");
        image(emptyClass.resolve("a/a.png"), 2, 2, 0, "png");
        Files.createDirectories(emptyClass.resolve("b"));
        Files.writeString(emptyClass.resolve("b/readme.txt"), "x");
        String c = assertThrows(DatasetException.class, () -> ImageFolder.read(emptyClass).classNames()).getMessage();
        assertTrue(c.contains("class folder 'b' holds no images"), c);
        assertFalse(c.contains("'a'"), c);
    }
}
