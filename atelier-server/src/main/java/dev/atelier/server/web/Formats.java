package dev.atelier.server.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the portal writes times, durations, numbers and URL parameters. Stateless, thread-safe. */
public final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** An epoch-millisecond time in UTC; a dash when absent. */
    public static String time(Long epochMillis) {
        return epochMillis == null || epochMillis <= 0 ? "–" : TIME.format(Instant.ofEpochMilli(epochMillis)) + " UTC";
    }

    /** The time between two instants as {@code 1h 2m 3s}; until now when {@code end} is absent. */
    public static String duration(Long start, Long end) {
        if (start == null || start <= 0) {
            return "–";
        }
        long stop = end == null || end <= 0 ? System.currentTimeMillis() : end;
        Duration duration = Duration.ofMillis(Math.max(0, stop - start));
        if (duration.toHours() > 0) {
            return duration.toHours() + "h " + duration.toMinutesPart() + "m " + duration.toSecondsPart() + "s";
        }
        if (duration.toMinutes() > 0) {
            return duration.toMinutes() + "m " + duration.toSecondsPart() + "s";
        }
        return duration.toSeconds() > 0 ? duration.toSeconds() + "." + duration.toMillisPart() / 100 + "s" : duration.toMillis() + "ms";
    }

    /** A metric value with up to six significant digits; NaN and infinities by name. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-4 && magnitude < 1e9) {
            return String.format(Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
        }
        return String.format(Locale.ROOT, "%.4e", value);
    }

    /** A byte count as {@code 1.2 MB}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A value encoded for a URL query parameter. */
    public static String query(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /**
     * Whether a tag is set by MLflow's clients or by Atelier itself ({@code mlflow.*}, {@code atelier.*}): such tags
     * are shown apart from the user's own and are not offered for removal.
     */
    public static boolean systemTag(String key) {
        return key.startsWith("mlflow.") || key.startsWith("atelier.");
    }

    /** The first characters of a long id. */
    public static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    /**
     * How long ago an epoch-millisecond time was, as a person says it: {@code just now}, {@code 3 min ago},
     * {@code 2 h ago}, {@code 5 days ago}, then the date ({@code 2026-01-31}); a dash when absent. The exact time
     * goes with it in a title ({@link #time}).
     */
    public static String relative(Long epochMillis, long nowMillis) {
        if (epochMillis == null || epochMillis <= 0) {
            return "–";
        }
        long seconds = Math.max(0, (nowMillis - epochMillis) / 1000);
        if (seconds < 45) {
            return "just now";
        }
        if (seconds < 3600) {
            return Math.max(1, Math.round(seconds / 60.0)) + " min ago";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h ago";
        }
        long days = seconds / 86_400;
        if (days < 30) {
            return days == 1 ? "yesterday" : days + " days ago";
        }
        return TIME.format(Instant.ofEpochMilli(epochMillis)).substring(0, 10);
    }

    /** An epoch-millisecond time as ISO-8601 for a {@code <time datetime>} attribute; empty when absent. */
    public static String isoTime(Long epochMillis) {
        return epochMillis == null || epochMillis <= 0 ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }
}
