package org.grad4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/**
 * Decodes an image file to float32 values 0..255, {@code [height, width, channels]}, resized bilinearly as
 * {@code tf.image.resize} does (half-pixel centres, no antialiasing).
 */
final class ImageDecoder {
    /** ITU-R 601 luma weights, as {@code tf.image.rgb_to_grayscale}. */
    private static final double RED = 0.2989, GREEN = 0.5870, BLUE = 0.1140;

    private final int height;
    private final int width;
    private final int channels;

    ImageDecoder(int height, int width, int channels) {
        this.height = height;
        this.width = width;
        this.channels = channels;
    }

    float[] decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("Image file " + file + " could not be decoded: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new DatasetException("Image file " + file + " could not be decoded: no ImageIO reader recognises it");
        }
        return resize(pixels(image), image.getHeight(), image.getWidth());
    }

    /** The image's values, {@code [h, w, channels]}. */
    float[] pixels(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        float[] out = new float[h * w * channels];
        Raster raster = image.getRaster();
        // getRGB would pass gray images through a linear-to-sRGB conversion and change their values
        boolean gray = image.getColorModel() instanceof ComponentColorModel
                && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int grayMax = gray ? (1 << image.getColorModel().getComponentSize(0)) - 1 : 255;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int o = (r * w + c) * channels;
                if (gray) {
                    float v = raster.getSample(c, r, 0) * 255f / grayMax;
                    for (int k = 0; k < channels; k++) {
                        out[o + k] = v;
                    }
                } else {
                    int rgb = image.getRGB(c, r);
                    int red = (rgb >> 16) & 0xff;
                    int green = (rgb >> 8) & 0xff;
                    int blue = rgb & 0xff;
                    if (channels == 1) {
                        out[o] = (float) (RED * red + GREEN * green + BLUE * blue);
                    } else {
                        out[o] = red;
                        out[o + 1] = green;
                        out[o + 2] = blue;
                    }
                }
            }
        }
        return out;
    }

    /** Bilinear resize of {@code [inH, inW, channels]} to {@code [height, width, channels]}. */
    float[] resize(float[] in, int inH, int inW) {
        if (inH == height && inW == width) {
            return in;
        }
        float[] out = new float[height * width * channels];
        int[] rowLo = new int[height], rowHi = new int[height], colLo = new int[width], colHi = new int[width];
        float[] rowT = new float[height], colT = new float[width];
        weights(inH, height, rowLo, rowHi, rowT);
        weights(inW, width, colLo, colHi, colT);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                for (int k = 0; k < channels; k++) {
                    float tl = in[(rowLo[r] * inW + colLo[c]) * channels + k];
                    float tr = in[(rowLo[r] * inW + colHi[c]) * channels + k];
                    float bl = in[(rowHi[r] * inW + colLo[c]) * channels + k];
                    float br = in[(rowHi[r] * inW + colHi[c]) * channels + k];
                    float top = tl + (tr - tl) * colT[c];
                    float bottom = bl + (br - bl) * colT[c];
                    out[(r * width + c) * channels + k] = top + (bottom - top) * rowT[r];
                }
            }
        }
        return out;
    }

    /** Source neighbours and weight per output position, sampling at half-pixel centres. */
    private static void weights(int inSize, int outSize, int[] lo, int[] hi, float[] t) {
        double scale = (double) inSize / outSize;
        for (int i = 0; i < outSize; i++) {
            double at = (i + 0.5) * scale - 0.5;
            double floor = Math.floor(at);
            lo[i] = (int) Math.max(floor, 0);
            hi[i] = (int) Math.min(Math.ceil(at), inSize - 1);
            t[i] = (float) (at - floor);
        }
    }
}
