package org.grad4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.grad4j.core.Seeds;

/**
 * A folder of images with one sub-folder per class, read as Keras' {@code image_dataset_from_directory} reads it.
 *
 * <pre>{@code
 * ImageFolder flowers = ImageFolder.read(Path.of("flower_photos")).imageSize(180, 180).batchSize(32)
 *         .shuffle(123).validationSplit(0.2);
 * Dataset train = flowers.training().prefetch(2);   // x [32, 180, 180, 3] float32 0..255, y [32] class ids
 * Dataset val = flowers.validation();
 * List<String> names = flowers.classNames();       // the sub-folders, sorted
 * }</pre>
 *
 * <p>Class names are the sorted sub-folder names; files (searched through each class folder's sub-folders too) whose
 * names end in png, jpg, jpeg, bmp or gif in any case are the images, other files are ignored. Every image is
 * checked when the folder is first listed (by {@link #training()}, {@link #validation()} or {@link #classNames()}),
 * before any element is produced: it must be readable and its header must decode. Pixels are decoded as a pass
 * reaches them, resized bilinearly to the image size. Defaults as Keras: 256×256, RGB, batches of 32, class-id
 * labels, shuffled.
 *
 * <p>With shuffling, the file list is shuffled once with the seed and every pass is shuffled again with a buffer of
 * 8 batches; a validation split takes the last fraction of that list, so training and validation are disjoint
 * for a seed. A split while shuffling needs an explicit seed (as in Keras): each subset would otherwise draw its
 * own order and they would overlap.
 */
public final class ImageFolder {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Path dir;
    private int height = 256;
    private int width = 256;
    private int channels = 3;
    private int batchSize = 32;
    private LabelMode labelMode = LabelMode.INT;
    private boolean shuffle = true;
    private Long seed;
    private double validationSplit;
    private Listing listing;

    /** The files and their class ids, in the classes' order then the paths' order. */
    private record Listing(List<String> classNames, List<Path> files, int[] classes) {
    }

    private ImageFolder(Path dir) {
        this.dir = dir;
    }

    /** Starts reading {@code dir}; nothing is read until a dataset or the class names are asked for. */
    public static ImageFolder read(Path dir) {
        return new ImageFolder(dir);
    }

    /** The size every image is resized to (default 256×256). */
    public ImageFolder imageSize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("ImageFolder " + dir + ": imageSize must be positive, got " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        return this;
    }

    /** One channel, {@code [h, w, 1]}; colour images are converted with ITU-R 601 luma weights. */
    public ImageFolder grayscale() {
        this.channels = 1;
        return this;
    }

    /** Three channels, {@code [h, w, 3]} (the default); gray images are repeated over the channels. */
    public ImageFolder rgb() {
        this.channels = 3;
        return this;
    }

    /** Images per batch (default 32). */
    public ImageFolder batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("ImageFolder " + dir + ": batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** Class ids (default) or one-hot labels. */
    public ImageFolder labelMode(LabelMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("ImageFolder " + dir + ": labelMode must not be null");
        }
        this.labelMode = mode;
        return this;
    }

    /** Shuffles with this seed (the file list once, and every pass). */
    public ImageFolder shuffle(long seed) {
        this.shuffle = true;
        this.seed = seed;
        return this;
    }

    /** Shuffles or not (default true; without a seed, one is drawn from grad4j's {@code Seeds}). */
    public ImageFolder shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** The fraction of images, strictly between 0 and 1, that {@link #validation()} gives; {@link #training()} the rest. */
    public ImageFolder validationSplit(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("ImageFolder " + dir + ": validationSplit must be between 0 and 1 "
                    + "(exclusive), got " + fraction);
        }
        this.validationSplit = fraction;
        return this;
    }

    /** The class names, sorted sub-folder names; their positions are the class ids. */
    public List<String> classNames() {
        return listing().classNames();
    }

    /** The training images: all of them, or all but the validation fraction after {@link #validationSplit(double)}. */
    public Dataset training() {
        return subset(false);
    }

    /** The validation images: the last fraction given to {@link #validationSplit(double)} of the (shuffled) file list. */
    public Dataset validation() {
        if (validationSplit == 0) {
            throw new IllegalStateException("ImageFolder " + dir + ": validation() needs validationSplit(fraction) first");
        }
        return subset(true);
    }

    private Dataset subset(boolean validation) {
        if (shuffle && validationSplit > 0 && seed == null) {
            throw new IllegalStateException("ImageFolder " + dir + ": a validationSplit with shuffling needs a seed, "
                    + "shuffle(seed), so that training and validation do not overlap; or shuffle(false)");
        }
        Listing all = listing();
        long useSeed = shuffle ? seed() : 0;
        int n = all.files().size();
        int[] order = shuffle ? ShuffleBuffer.permute(null, n, useSeed, ShuffleStep.WHOLE) : null;
        int validationCount = (int) (validationSplit * n);   // Keras: int(validation_split * len(samples))
        if (validationSplit > 0 && (validationCount == 0 || validationCount == n)) {
            throw new DatasetException("ImageFolder " + dir + ": a validationSplit of " + validationSplit + " of " + n
                    + " images leaves " + (validationCount == 0 ? "no validation" : "no training") + " images");
        }
        int from = validation ? n - validationCount : 0;
        int to = validation ? n : n - validationCount;
        List<Path> files = new ArrayList<>(to - from);
        int[] classes = new int[to - from];
        for (int i = from; i < to; i++) {
            int f = order == null ? i : order[i];
            files.add(all.files().get(f));
            classes[i - from] = all.classes()[f];
        }
        Dataset images = new ImageSource(files, classes, all.classNames().size(), height, width, channels, labelMode);
        if (shuffle) {
            images = images.shuffle(useSeed, batchSize * 8);
        }
        return images.batch(batchSize);
    }

    private long seed() {
        if (seed == null) {
            seed = Seeds.nextSeed();
        }
        return seed;
    }

    private Listing listing() {
        if (listing == null) {
            listing = list();
        }
        return listing;
    }

    private Listing list() {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("ImageFolder " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(dir)) {
            classDirs = s.filter(Files::isDirectory).sorted((a, b) -> a.getFileName().toString()
                    .compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder " + dir + ": " + e.getMessage(), e);
        }
        if (classDirs.isEmpty()) {
            throw new DatasetException("ImageFolder " + dir + " has no class sub-folders; expected one sub-folder per "
                    + "class holding its images (" + String.join(", ", EXTENSIONS) + ")");
        }
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path classDir : classDirs) {
            List<Path> images = images(classDir);
            if (images.isEmpty()) {
                throw new DatasetException("ImageFolder " + dir + ": class folder '" + classDir.getFileName() + "' holds no "
                        + "images (" + String.join(", ", EXTENSIONS) + "); remove it or add its images");
            }
            for (Path image : images) {
                String problem = checkHeader(image);
                if (problem != null) {
                    problems.add(image + ": " + problem);
                }
                files.add(image);
                classes.add(names.size());
            }
            names.add(classDir.getFileName().toString());
        }
        if (!problems.isEmpty()) {
            throw new DatasetException("ImageFolder " + dir + ": " + problems.size() + " unreadable image file"
                    + (problems.size() == 1 ? "" : "s") + ": " + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
                    + (problems.size() > 10 ? "; ..." : ""));
        }
        return new Listing(List.copyOf(names), List.copyOf(files), classes.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<Path> images(Path classDir) {
        try (Stream<Path> s = Files.walk(classDir)) {
            return s.filter(Files::isRegularFile).filter(ImageFolder::isImageName).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder " + classDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** Null when the file is readable and an ImageIO reader decodes its width and height, else what is wrong. */
    private static String checkHeader(Path file) {
        if (!Files.isReadable(file)) {
            return "not readable";
        }
        try {
            if (Files.size(file) == 0) {
                return "the file is empty (0 bytes)";
            }
            try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
                if (readers == null || !readers.hasNext()) {
                    return "not a PNG, JPEG, BMP or GIF image (no ImageIO reader recognises its contents)";
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    int w = reader.getWidth(0);
                    int h = reader.getHeight(0);
                    return w > 0 && h > 0 ? null : "the header gives a size of " + w + "x" + h;
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "the header could not be decoded (" + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return "ImageFolder[" + dir + ", " + height + "x" + width + "x" + channels + ", batch " + batchSize + ", "
                + labelMode + (shuffle ? ", shuffle " + (seed == null ? "unseeded" : seed) : "")
                + (validationSplit > 0 ? ", validationSplit " + validationSplit : "") + "]";
    }
}
