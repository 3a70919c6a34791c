package dev.atelier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a client command prints its result, in the format the person asked for: each command
 * hands over both the server's JSON and the table made from it, and this prints one of the two. The JSON and YAML
 * mappers are made on first use (a table needs neither; the YAML one loads SnakeYAML). Not thread-safe.
 */
final class Output {
    /** Made when first needed; class initialization makes it once and thread-safely. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static final class Yaml {
        static final YAMLMapper MAPPER = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build();
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final PrintWriter out;
    private final OutputFormat format;

    Output(PrintWriter out, OutputFormat format) {
        this.out = requireNonNull(out, "out is null");
        this.format = requireNonNull(format, "format is null");
    }

    /**
     * Prints {@code json} (a JsonNode or a record with Jackson annotations) or the tables, one
     * after the other with a blank line between; titled sections without rows are left out.
     */
    void print(Object json, Table... tables) {
        switch (format) {
            case JSON -> printJson(json);
            case YAML -> printYaml(json);
            case TABLE -> {
                boolean first = true;
                for (Table table : tables) {
                    if (table.isEmptySection()) {
                        continue;
                    }
                    if (!first) {
                        out.println();
                    }
                    table.printTo(out);
                    first = false;
                }
            }
        }
    }

    /** Prints {@code json} or a sentence such as "Deleted run 1f2e...". */
    void print(Object json, String message) {
        switch (format) {
            case JSON -> printJson(json);
            case YAML -> printYaml(json);
            case TABLE -> out.println(message);
        }
    }

    private void printJson(Object json) {
        try {
            out.println(Json.MAPPER.writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void printYaml(Object json) {
        try {
            // Through a tree first, so that records print with their Jackson annotations as in JSON.
            out.print(Yaml.MAPPER.writeValueAsString(Json.MAPPER.valueToTree(json)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void flush() {
        out.flush();
    }

    static ObjectMapper mapper() {
        return Json.MAPPER;
    }

    /** Epoch milliseconds as local date and time; 0 (unset) as empty. */
    static String time(long epochMillis) {
        return epochMillis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(epochMillis).atZone(ZoneId.systemDefault()));
    }

    /** A point in time as local date and time; empty as empty. */
    static String time(Optional<Instant> instant) {
        return instant.map(value -> time(value.toEpochMilli())).orElse("");
    }

    static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
