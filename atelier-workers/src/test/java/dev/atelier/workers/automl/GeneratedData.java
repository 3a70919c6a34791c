package dev.atelier.workers.automl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Seeded synthetic tables written as CSV for the tests. */
final class GeneratedData {
    private GeneratedData() {
    }

    /**
     * Noisy two moons (x1, x2) with a categorical column that shifts the odds, a noise column, an id column, a constant
     * column and some missing values; target {@code label} is "a" or "b".
     */
    static Path moons(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        lines.add("id,x1,x2,color,noise,constant,label");
        for (int i = 0; i < rows; i++) {
            boolean upper = random.nextBoolean();
            double angle = Math.PI * random.nextDouble();
            double x1 = upper ? Math.cos(angle) : 1 - Math.cos(angle);
            double x2 = upper ? Math.sin(angle) : 0.5 - Math.sin(angle);
            x1 += 0.2 * random.nextGaussian();
            x2 += 0.2 * random.nextGaussian();
            String color = random.nextDouble() < 0.7 ? (upper ? "red" : "blue") : (random.nextBoolean() ? "green" : "red");
            String x2Text = random.nextDouble() < 0.03 ? "" : String.format(Locale.ROOT, "%.4f", x2);
            lines.add(String.format(Locale.ROOT, "%d,%.4f,%s,%s,%.4f,7,%s", i + 1, x1, x2Text, color, random.nextGaussian(), upper ? "a" : "b"));
        }
        Files.write(file, lines);
        return file;
    }

    /** y = 3 x1 - 2 x2 + 2 sin(3 x3) + 1.5 [group = "g2"] + noise, with a date column that carries no signal. */
    static Path regression(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        lines.add("x1,x2,x3,group,day,y");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            double x3 = 2 * random.nextDouble() - 1;
            String group = "g" + random.nextInt(3);
            double y = 3 * x1 - 2 * x2 + 2 * Math.sin(3 * x3) + (group.equals("g2") ? 1.5 : 0) + 0.3 * random.nextGaussian();
            String day = String.format(Locale.ROOT, "2024-%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28));
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%s,%s,%.4f", x1, x2, x3, group, day, y));
        }
        Files.write(file, lines);
        return file;
    }
}
