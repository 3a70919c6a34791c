package dev.atelier.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** How client commands print what the server answered: aligned plain-text tables, or JSON. */
enum OutputFormat {
    TABLE,
    JSON;

    /** Reads {@code table} or {@code json}, in any case. */
    static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected 'table' or 'json', got '" + value + "'");
            }
        }
    }
}
