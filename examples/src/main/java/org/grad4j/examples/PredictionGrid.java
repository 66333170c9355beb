package org.grad4j.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Keras classification tutorial's picture of predictions: images in a grid, each under a title
 * "predicted / true" class name, blue when the prediction is right and red when it is wrong. Pixels use the
 * tutorial's {@code plt.cm.binary} map (0 white, 1 black), so clothes are dark on white.
 */
final class PredictionGrid {
    static final int COLUMNS = 5;
    static final int SCALE = 4;
    static final int CELL_WIDTH = 170;
    static final int TITLE_HEIGHT = 22;
    static final int GAP = 10;
    static final int HEADER_HEIGHT = 34;
    static final int MARGIN = 10;
    /** matplotlib's default blue and a plain red, as the tutorial colours right and wrong labels. */
    static final Color RIGHT = new Color(0x1f, 0x77, 0xb4);
    static final Color WRONG = new Color(0xd6, 0x10, 0x10);
    private static final int LARGEST_FONT = 13;
    private static final int SMALLEST_FONT = 8;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private PredictionGrid() {
    }

    /** Width in pixels of a grid of images {@code imageWidth} pixels wide. */
    static int width(long imageWidth) {
        return 2 * MARGIN + COLUMNS * cellWidth(imageWidth);
    }

    private static int cellWidth(long imageWidth) {
        return Math.max(CELL_WIDTH, (int) imageWidth * SCALE + GAP);
    }

    /** Height in pixels of a grid of {@code count} images {@code imageHeight} pixels high. */
    static int height(int count, long imageHeight) {
        int rows = (count + COLUMNS - 1) / COLUMNS;
        return HEADER_HEIGHT + 2 * MARGIN + rows * cellHeight(imageHeight);
    }

    private static int cellHeight(long imageHeight) {
        return TITLE_HEIGHT + (int) imageHeight * SCALE + GAP;
    }

    /**
     * Draws the first {@code predicted.length} images.
     *
     * @param images     {@code [n, height, width]}, values 0..1
     * @param predicted  the predicted class id of each image drawn
     * @param actual     the true class id of each image drawn
     * @param classNames names by class id
     */
    static BufferedImage draw(String header, INDArray images, int[] predicted, int[] actual, List<String> classNames) {
        if (images.rank() != 3 || predicted.length != actual.length || predicted.length > images.size(0)) {
            throw new IllegalArgumentException("PredictionGrid: images must be [n, height, width] with n >= "
                    + predicted.length + " and one true class per prediction, got images " + images.shapeInfoToString()
                    + ", " + predicted.length + " predictions and " + actual.length + " true classes");
        }
        int h = (int) images.size(1);
        int w = (int) images.size(2);
        int cellWidth = cellWidth(w);
        BufferedImage picture = new BufferedImage(width(w), height(predicted.length, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, picture.getWidth(), picture.getHeight());
            g.setColor(Color.BLACK);
            centred(g, header, new Font(Font.SANS_SERIF, Font.BOLD, 15), picture.getWidth() / 2, MARGIN + 18,
                    picture.getWidth() - 2 * MARGIN);
            for (int i = 0; i < predicted.length; i++) {
                int left = MARGIN + (i % COLUMNS) * cellWidth;
                int top = MARGIN + HEADER_HEIGHT + (i / COLUMNS) * cellHeight(h);
                boolean right = predicted[i] == actual[i];
                g.setColor(right ? RIGHT : WRONG);
                String title = classNames.get(predicted[i]) + " / " + classNames.get(actual[i]);
                centred(g, title, new Font(Font.SANS_SERIF, Font.PLAIN, LARGEST_FONT), left + cellWidth / 2,
                        top + TITLE_HEIGHT - 6, cellWidth - 4);
                int x0 = left + (cellWidth - w * SCALE) / 2;
                int y0 = top + TITLE_HEIGHT;
                paintImage(picture, images, i, x0, y0);
                g.setColor(Color.GRAY);
                g.setStroke(new BasicStroke(1));
                g.drawRect(x0 - 1, y0 - 1, w * SCALE + 1, h * SCALE + 1);
            }
        } finally {
            g.dispose();
        }
        return picture;
    }

    private static void paintImage(BufferedImage picture, INDArray images, int index, int x0, int y0) {
        long h = images.size(1);
        long w = images.size(2);
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double v = Math.max(0, Math.min(1, images.getDouble(index, r, c)));
                int grey = (int) Math.round(255 * (1 - v));
                int rgb = (grey << 16) | (grey << 8) | grey;
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) {
                        picture.setRGB(x0 + c * SCALE + dx, y0 + r * SCALE + dy, rgb);
                    }
                }
            }
        }
    }

    /** Draws text centred on {@code centreX}, shrinking the font until it fits {@code maxWidth}. */
    private static void centred(Graphics2D g, String text, Font font, int centreX, int baseline, int maxWidth) {
        Font f = font;
        FontMetrics m = g.getFontMetrics(f);
        while (m.stringWidth(text) > maxWidth && f.getSize() > SMALLEST_FONT) {
            f = f.deriveFont((float) (f.getSize() - 1));
            m = g.getFontMetrics(f);
        }
        g.setFont(f);
        g.drawString(text, centreX - m.stringWidth(text) / 2, baseline);
    }
}
