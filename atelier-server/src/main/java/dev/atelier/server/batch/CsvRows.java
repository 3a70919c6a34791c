package dev.atelier.server.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file of numbers row by row, straight from its bytes into a caller's {@code double[]}: the header names the
 * columns; each following non-empty line is a row. Numbers are parsed from the bytes (no string per row or field);
 * an empty field is NaN; a field in double quotes is read without them; anything else that is no number makes the row
 * bad (recorded in {@link #error()}, its values NaN) without stopping the reading. Not thread-safe.
 */
final class CsvRows implements TableRows {
    private static final int BUFFER = 1 << 16;
    private static final double[] POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private final List<String> header;
    private final byte[] field = new byte[256];
    private long row;
    private String error;

    CsvRows(Path file) throws IOException {
        this.in = Files.newInputStream(file);
        List<String> names = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        int b;
        boolean any = false;
        while ((b = next()) >= 0 && b != '\n') {
            any = true;
            if (b == ',') {
                names.add(strip(name));
                name.setLength(0);
            } else if (b != '\r') {
                name.append((char) b);
            }
        }
        if (any) {
            names.add(strip(name));
        }
        if (!names.isEmpty() && names.getFirst().startsWith("\uFEFF")) {
            names.set(0, names.getFirst().substring(1));
        }
        this.header = List.copyOf(names);
    }

    private static String strip(StringBuilder name) {
        String value = new String(name.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).strip();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /** The header's column names. */
    @Override
    public List<String> header() {
        return header;
    }

    /** The rows of a file: its non-empty lines after the header. */
    static long countRows(Path file) throws IOException {
        long rows = 0;
        boolean header = true;
        boolean content = false;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        if (header) {
                            header = false;
                        } else if (content) {
                            rows++;
                        }
                        content = false;
                    } else if (b != '\r') {
                        content = true;
                    }
                }
            }
        }
        return !header && content ? rows + 1 : rows;
    }

    /** The first bad value of the rows read by the last {@link #read} call, or null. */
    @Override
    public String error() {
        return error;
    }

    /**
     * Reads up to {@code max} rows, the values of the columns at {@code columns} (positions in the header) into
     * {@code into}, row after row; returns the rows read (fewer at the end of the file).
     */
    @Override
    public int read(int max, int[] columns, double[] into) throws IOException {
        error = null;
        int width = 0;
        for (int column : columns) {
            width = Math.max(width, column + 1);
        }
        int[] target = new int[width];
        java.util.Arrays.fill(target, -1);
        for (int i = 0; i < columns.length; i++) {
            target[columns[i]] = i;
        }
        int rows = 0;
        while (rows < max) {
            int b = next();
            while (b == '\n' || b == '\r') {
                b = next();
            }
            if (b < 0) {
                break;
            }
            int base = rows * columns.length;
            java.util.Arrays.fill(into, base, base + columns.length, Double.NaN);
            int column = 0;
            int length = 0;
            while (true) {
                if (b == ',' || b == '\n' || b < 0) {
                    if (column < width && target[column] >= 0) {
                        into[base + target[column]] = value(length, column);
                    }
                    column++;
                    length = 0;
                    if (b != ',') {
                        break;
                    }
                } else if (b != '\r' && b != '"' && b != ' ') {
                    if (length < field.length) {
                        field[length] = (byte) b;
                    }
                    length++;
                }
                b = next();
            }
            if (column < width && error == null) {
                error = "row " + row + " has " + column + " values, the header " + header.size();
            }
            row++;
            rows++;
        }
        return rows;
    }

    /** Skips {@code count} rows (mini-batches a resumed job has finished). */
    @Override
    public void skip(long count) throws IOException {
        long skipped = 0;
        boolean content = false;
        while (skipped < count) {
            int b = next();
            if (b < 0) {
                break;
            }
            if (b == '\n') {
                if (content) {
                    skipped++;
                }
                content = false;
            } else if (b != '\r') {
                content = true;
            }
        }
        if (content) {
            skipped++;
        }
        row += skipped;
    }

    private double value(int length, int column) {
        if (length == 0) {
            return Double.NaN;
        }
        if (length <= field.length) {
            double fast = parse(field, length);
            if (!Double.isNaN(fast) || isNan(length)) {
                return fast;
            }
            try {
                return Double.parseDouble(new String(field, 0, length, StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException e) {
                // a bad value, recorded below
            }
        }
        if (error == null) {
            String text = new String(field, 0, Math.min(length, 40), StandardCharsets.UTF_8);
            error = "row " + row + ", column '" + (column < header.size() ? header.get(column) : "#" + column) + "': '" + text
                    + "' is not a number";
        }
        return Double.NaN;
    }

    private boolean isNan(int length) {
        return length == 3 && (field[0] | 0x20) == 'n' && (field[1] | 0x20) == 'a' && (field[2] | 0x20) == 'n';
    }

    /** A decimal number of at most 18 digits and a small exponent, exactly rounded; NaN for anything else. */
    static double parse(byte[] bytes, int length) {
        int i = 0;
        boolean negative = false;
        if (bytes[0] == '-' || bytes[0] == '+') {
            negative = bytes[0] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean dot = false;
        boolean any = false;
        for (; i < length; i++) {
            int b = bytes[i];
            if (b >= '0' && b <= '9') {
                any = true;
                if (mantissa == 0 && b == '0') {
                    if (dot) {
                        scale--;
                    }
                    continue;
                }
                if (++digits > 18) {
                    return Double.NaN;
                }
                mantissa = mantissa * 10 + (b - '0');
                if (dot) {
                    scale--;
                }
            } else if (b == '.' && !dot) {
                dot = true;
            } else if ((b == 'e' || b == 'E') && any) {
                int exponent = 0;
                boolean negativeExponent = false;
                i++;
                if (i < length && (bytes[i] == '-' || bytes[i] == '+')) {
                    negativeExponent = bytes[i] == '-';
                    i++;
                }
                if (i == length) {
                    return Double.NaN;
                }
                for (; i < length; i++) {
                    int d = bytes[i];
                    if (d < '0' || d > '9' || exponent > 1000) {
                        return Double.NaN;
                    }
                    exponent = exponent * 10 + (d - '0');
                }
                scale += negativeExponent ? -exponent : exponent;
                break;
            } else {
                return Double.NaN;
            }
        }
        if (!any) {
            return Double.NaN;
        }
        double value;
        if (mantissa == 0) {
            value = 0;
        } else if (mantissa < (1L << 53) && scale >= -22 && scale <= 22) {
            value = scale < 0 ? mantissa / POWERS[-scale] : mantissa * POWERS[scale];
        } else {
            return Double.NaN;
        }
        return negative ? -value : value;
    }

    private int next() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, BUFFER);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++] & 0xFF;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
