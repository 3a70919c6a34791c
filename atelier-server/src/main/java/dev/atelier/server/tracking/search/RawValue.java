package dev.atelier.server.tracking.search;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** The right-hand side of a comparison as written; {@link #source()} is the original text for messages. */
public sealed interface RawValue {
    String source();

    /** A string in single or double quotes, unescaped. */
    record QuotedText(String text, String source) implements RawValue {
        public QuotedText {
            requireNonNull(text, "text is null");
            requireNonNull(source, "source is null");
        }
    }

    /** A numeric literal such as {@code 1}, {@code -0.5} or {@code 1e-3}. */
    record NumberLiteral(String source) implements RawValue {
        public NumberLiteral {
            requireNonNull(source, "source is null");
        }
    }

    /** A word without quotes, such as {@code FINISHED}; never valid, kept for the error message. */
    record BareWord(String source) implements RawValue {
        public BareWord {
            requireNonNull(source, "source is null");
        }
    }

    /** A parenthesized list of quoted strings, for IN and NOT IN. */
    record TextList(List<String> items, String source) implements RawValue {
        public TextList {
            items = List.copyOf(items);
            requireNonNull(source, "source is null");
        }
    }
}
