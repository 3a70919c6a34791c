package dev.atelier.workers.automl;

import java.util.List;
import java.util.Locale;

/**
 * Small SVG charts for the run's artifacts (viewable in a browser and the portal without a script): lines, points,
 * bars and a heat map, 480x360 with axes from the data's range. Stateless.
 */
final class Svg {
    private static final int WIDTH = 480;
    private static final int HEIGHT = 360;
    private static final int MARGIN = 48;
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

    private Svg() {
    }

    /** A named series of points. */
    record Series(String name, double[] x, double[] y) {
    }

    static String lines(String title, String xLabel, String yLabel, List<Series> series, boolean points) {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY, minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                minX = Math.min(minX, s.x()[i]);
                maxX = Math.max(maxX, s.x()[i]);
                minY = Math.min(minY, s.y()[i]);
                maxY = Math.max(maxY, s.y()[i]);
            }
        }
        if (!(maxX > minX)) {
            maxX = minX + 1;
        }
        if (!(maxY > minY)) {
            maxY = minY + 1;
        }
        StringBuilder svg = header(title, xLabel, yLabel);
        axisLabels(svg, minX, maxX, minY, maxY);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String color = COLORS[k % COLORS.length];
            if (points) {
                for (int i = 0; i < s.x().length; i++) {
                    svg.append(format("<circle cx='%.1f' cy='%.1f' r='2' fill='%s' fill-opacity='0.6'/>",
                            x(s.x()[i], minX, maxX), y(s.y()[i], minY, maxY), color));
                }
            } else {
                svg.append("<polyline fill='none' stroke='").append(color).append("' stroke-width='2' points='");
                for (int i = 0; i < s.x().length; i++) {
                    svg.append(format("%.1f,%.1f ", x(s.x()[i], minX, maxX), y(s.y()[i], minY, maxY)));
                }
                svg.append("'/>");
            }
            svg.append(format("<text x='%d' y='%d' font-size='11' fill='%s'>%s</text>", WIDTH - MARGIN - 120, MARGIN + 14 * (k + 1), color, escape(s.name())));
        }
        return svg.append("</svg>\n").toString();
    }

    static String bars(String title, String xLabel, String yLabel, List<String> names, double[] values) {
        double max = 0;
        for (double value : values) {
            max = Math.max(max, Math.abs(value));
        }
        max = max > 0 ? max : 1;
        StringBuilder svg = header(title, xLabel, yLabel);
        double band = (double) (HEIGHT - 2 * MARGIN) / Math.max(1, values.length);
        for (int i = 0; i < values.length; i++) {
            double length = (WIDTH - 2 * MARGIN - 100) * Math.abs(values[i]) / max;
            svg.append(format("<rect x='%d' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>", MARGIN + 100, MARGIN + i * band,
                    length, band * 0.8, COLORS[0]));
            svg.append(format("<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%s</text>", MARGIN + 96, MARGIN + i * band + band * 0.6,
                    escape(names.get(i))));
        }
        return svg.append("</svg>\n").toString();
    }

    static String heatmap(String title, List<String> labels, long[][] counts) {
        long max = 1;
        for (long[] row : counts) {
            for (long count : row) {
                max = Math.max(max, count);
            }
        }
        StringBuilder svg = header(title, "predicted", "true");
        int n = labels.size();
        double cell = (double) Math.min(WIDTH, HEIGHT - MARGIN) / (n + 1.5);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double shade = 1 - 0.8 * counts[i][j] / (double) max;
                int level = (int) Math.round(255 * shade);
                svg.append(format("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='rgb(%d,%d,255)' stroke='#fff'/>",
                        MARGIN + (j + 1) * cell, MARGIN / 2.0 + (i + 1) * cell, cell, cell, level, level));
                svg.append(format("<text x='%.1f' y='%.1f' font-size='11' text-anchor='middle'>%d</text>",
                        MARGIN + (j + 1.5) * cell, MARGIN / 2.0 + (i + 1.6) * cell, counts[i][j]));
            }
            svg.append(format("<text x='%.1f' y='%.1f' font-size='10' text-anchor='end'>%s</text>", MARGIN + cell - 4,
                    MARGIN / 2.0 + (i + 1.6) * cell, escape(labels.get(i))));
            svg.append(format("<text x='%.1f' y='%.1f' font-size='10' text-anchor='middle'>%s</text>", MARGIN + (i + 1.5) * cell,
                    MARGIN / 2.0 + cell * 0.8, escape(labels.get(i))));
        }
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder header(String title, String xLabel, String yLabel) {
        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' font-family='sans-serif'>",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width='100%' height='100%' fill='white'/>");
        svg.append(format("<text x='%d' y='20' font-size='14' text-anchor='middle'>%s</text>", WIDTH / 2, escape(title)));
        svg.append(format("<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>", WIDTH / 2, HEIGHT - 8, escape(xLabel)));
        svg.append(format("<text x='14' y='%d' font-size='11' text-anchor='middle' transform='rotate(-90 14 %d)'>%s</text>",
                HEIGHT / 2, HEIGHT / 2, escape(yLabel)));
        return svg;
    }

    private static void axisLabels(StringBuilder svg, double minX, double maxX, double minY, double maxY) {
        svg.append(format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN));
        svg.append(format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN));
        svg.append(format("<text x='%d' y='%d' font-size='10'>%.3g</text>", MARGIN, HEIGHT - MARGIN + 14, minX));
        svg.append(format("<text x='%d' y='%d' font-size='10' text-anchor='end'>%.3g</text>", WIDTH - MARGIN, HEIGHT - MARGIN + 14, maxX));
        svg.append(format("<text x='%d' y='%d' font-size='10' text-anchor='end'>%.3g</text>", MARGIN - 4, HEIGHT - MARGIN, minY));
        svg.append(format("<text x='%d' y='%d' font-size='10' text-anchor='end'>%.3g</text>", MARGIN - 4, MARGIN + 4, maxY));
    }

    private static double x(double value, double min, double max) {
        return MARGIN + (WIDTH - 2 * MARGIN) * (value - min) / (max - min);
    }

    private static double y(double value, double min, double max) {
        return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * (value - min) / (max - min);
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }
}
