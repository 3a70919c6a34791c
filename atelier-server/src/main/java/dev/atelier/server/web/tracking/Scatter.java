package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.Run;
import dev.atelier.server.web.Formats;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A scatter of one param or metric (x) against another (y) across runs, laid out on the server as
 * SVG coordinates. A param that is not a number is placed by its rank among the values shown.
 * Runs lacking either value are left out.
 */
public record Scatter(List<Point> points, String xMin, String xMax, String yMin, String yMax) {
    public static final int WIDTH = 560;
    public static final int HEIGHT = 320;
    /** Where the axes are drawn; dots stay {@link #PADDING} inside them. */
    private static final int MARGIN = 40;
    private static final int PADDING = 24;

    public Scatter {
        points = List.copyOf(points);
    }

    /** One run's dot. */
    public record Point(double cx, double cy, String run, String xText, String yText) {
    }

    static Scatter of(List<Run> runs, String x, String y) {
        if (x.isEmpty() || y.isEmpty()) {
            return new Scatter(List.of(), "", "", "", "");
        }
        List<String> xs = new ArrayList<>();
        List<String> ys = new ArrayList<>();
        List<Run> kept = new ArrayList<>();
        for (Run run : runs) {
            String xValue = RunTables.cell(run, x);
            String yValue = RunTables.cell(run, y);
            if (!xValue.isEmpty() && number(yValue) != null) {
                xs.add(xValue);
                ys.add(yValue);
                kept.add(run);
            }
        }
        boolean numericX = xs.stream().allMatch(value -> number(value) != null);
        List<String> categories = new ArrayList<>(new TreeSet<>(xs));
        double[] xv = new double[xs.size()];
        double[] yv = new double[ys.size()];
        for (int i = 0; i < xs.size(); i++) {
            xv[i] = numericX ? number(xs.get(i)) : categories.indexOf(xs.get(i));
            yv[i] = number(ys.get(i));
        }
        double x0 = min(xv);
        double x1 = max(xv);
        double y0 = min(yv);
        double y1 = max(yv);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < xv.length; i++) {
            points.add(new Point(scale(xv[i], x0, x1, MARGIN + PADDING, WIDTH - MARGIN - PADDING),
                    scale(yv[i], y0, y1, HEIGHT - MARGIN - PADDING, MARGIN + PADDING),
                    RunTabs.name(kept.get(i).info()), xs.get(i), ys.get(i)));
        }
        return new Scatter(points, numericX ? Formats.number(x0) : first(categories), numericX ? Formats.number(x1) : last(categories),
                Formats.number(y0), Formats.number(y1));
    }

    private static Double number(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double scale(double value, double from, double to, double low, double high) {
        return to == from ? (low + high) / 2 : low + (value - from) / (to - from) * (high - low);
    }

    private static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElse(0);
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(0);
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? "" : values.get(0);
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }
}
