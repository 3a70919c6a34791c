package dev.atelier.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written as people write them: {@code 30d}, {@code 12h}, {@code 15m}, {@code 0s}, {@code 1d12h}. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern WHOLE = Pattern.compile("(\\d+[dhms])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    @Override
    public Duration convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (!WHOLE.matcher(text).matches()) {
            throw new TypeConversionException("expected a duration such as 30d, 12h, 15m or 0s, got '" + value + "'");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        try {
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "d" -> Duration.ofDays(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofSeconds(amount);
                });
            }
            total.toMillis();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new TypeConversionException("duration '" + value + "' is too long");
        }
        return total;
    }
}
