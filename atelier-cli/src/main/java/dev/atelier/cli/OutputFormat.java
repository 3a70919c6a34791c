package dev.atelier.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** How client commands print what the server answered: aligned plain-text tables, JSON, or YAML (as Azure's CLI prints). */
enum OutputFormat {
    TABLE,
    JSON,
    YAML;

    /** Whether this format prints the server's objects (so progress and followed logs go to standard error). */
    boolean structured() {
        return this != TABLE;
    }

    /** Reads {@code table}, {@code json} or {@code yaml}, in any case. */
    static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected 'table', 'json' or 'yaml', got '" + value + "'");
            }
        }
    }
}
