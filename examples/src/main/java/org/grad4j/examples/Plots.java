package org.grad4j.examples;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.grad4j.models.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the apps' pictures with XChart and writes them as PNG files. Charts are drawn headless, so the
 * apps run the same on a server as on a desktop.
 */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /** An empty line chart with a title and axis names, sized for a README. */
    public static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(720).height(440).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(4);
        return chart;
    }

    /** Adds a line without markers. */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** Adds a line over 1, 2, ..., n. */
    public static XYSeries curve(XYChart chart, String name, List<? extends Number> y) {
        double[] xs = new double[y.size()];
        double[] ys = new double[y.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i + 1;
            ys[i] = y.get(i).doubleValue();
        }
        return line(chart, name, xs, ys);
    }

    /**
     * A classifier's training curves from its {@link History}: the losses ({@code loss}, {@code val_loss}) on the
     * left axis from 0, the accuracies on the right axis from chance level to 1, so that small wiggles look as small as
     * they are; other entries (such as {@code learning_rate}) are left out. Each entry is drawn at the epochs it was
     * logged (1-based), so validation every few epochs is placed right.
     */
    public static XYChart trainingCurves(String title, History history, double chanceAccuracy) {
        XYChart chart = chart(title, "epoch", "loss");
        List<String> keys = List.copyOf(history.history().keySet());
        for (boolean loss : new boolean[] {true, false}) {
            for (String key : keys) {
                if (key.endsWith(loss ? "loss" : "accuracy")) {
                    List<Integer> epochs = history.epochsOf(key);
                    List<Double> values = history.get(key);
                    double[] xs = new double[values.size()];
                    double[] ys = new double[values.size()];
                    for (int i = 0; i < xs.length; i++) {
                        xs[i] = epochs.get(i) + 1;
                        ys[i] = values.get(i);
                    }
                    // a line through one point draws nothing: a single epoch gets its marker
                    XYSeries series = xs.length == 1 ? chart.addSeries(key, xs, ys) : line(chart, key, xs, ys);
                    if (!loss) {
                        series.setYAxisGroup(1);
                    }
                }
            }
        }
        chart.setYAxisGroupTitle(1, "accuracy");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMin(1, chanceAccuracy);
        chart.getStyler().setYAxisMax(1, 1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return chart;
    }

    /** Adds points without a line. */
    public static XYSeries points(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return s;
    }

    /**
     * Writes the chart as {@code dir/fileName} (".png" is added if missing), creating the folder, and prints
     * where it went.
     */
    public static Path save(XYChart chart, Path dir, String fileName, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        String name = fileName.endsWith(".png") ? fileName : fileName + ".png";
        Path file = dir.resolve(name);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        out.println("picture: " + file.toAbsolutePath().normalize());
        return file;
    }

    /** Writes a picture drawn by hand as {@code dir/fileName}, as {@link #save(XYChart, Path, String, PrintStream)}. */
    public static Path save(RenderedImage image, Path dir, String fileName, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        String name = fileName.endsWith(".png") ? fileName : fileName + ".png";
        Path file = dir.resolve(name);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM's ImageIO for " + file);
        }
        out.println("picture: " + file.toAbsolutePath().normalize());
        return file;
    }
}
