package dev.atelier.server.web;

import dev.atelier.server.http.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Executed notebooks (nbformat 4) as Jupyter writes them, for the tests of the portal's notebook preview. */
final class NotebookFixtures {
    /** A 1×1 PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    private NotebookFixtures() {
    }

    /**
     * A markdown cell with HTML in it, then code cells whose outputs are: a stream, a plain result, a PNG, an HTML-only
     * output holding a script, an image whose "base64" would break out of an attribute, and an error with ANSI colours.
     */
    static String everyOutput() {
        return notebook(List.of(
                Map.of("cell_type", "markdown", "metadata", Map.of(), "source", List.of("# Results\n", "<b>bold</b> <img src=x onerror=alert(2)>")),
                code(1, "print('hello from the notebook')",
                        Map.of("output_type", "stream", "name", "stdout", "text", List.of("hello from the notebook\n"))),
                code(2, "6 * 7", Map.of("output_type", "execute_result", "execution_count", 2, "metadata", Map.of(),
                        "data", Map.of("text/plain", List.of("42")))),
                code(3, "plot()", Map.of("output_type", "display_data", "metadata", Map.of(),
                        "data", Map.of("image/png", PNG + "\n", "text/plain", List.of("<Figure size 640x480 with 1 Axes>")))),
                code(4, "HTML(...)", Map.of("output_type", "display_data", "metadata", Map.of(),
                        "data", Map.of("text/html", List.of("<script>alert(1)</script>")))),
                code(5, "bad_image()", Map.of("output_type", "display_data", "metadata", Map.of(),
                        "data", Map.of("image/png", "AAAA\" onerror=\"alert(3)"))),
                code(6, "1/0", Map.of("output_type", "error", "ename", "ZeroDivisionError", "evalue", "division by zero",
                        "traceback", List.of("\u001B[0;31mZeroDivisionError\u001B[0m                Traceback (most recent call last)",
                                "\u001B[0;31mZeroDivisionError\u001B[0m: division by zero")))));
    }

    /** A notebook of {@code count} small code cells. */
    static String manyCells(int count) {
        List<Map<String, Object>> cells = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cells.add(code(i + 1, "x = " + i));
        }
        return notebook(cells);
    }

    private static Map<String, Object> code(int count, String source, Map<?, ?>... outputs) {
        return Map.of("cell_type", "code", "execution_count", count, "metadata", Map.of(), "source", source,
                "outputs", List.of(outputs));
    }

    private static String notebook(List<Map<String, Object>> cells) {
        try {
            return Json.mapper().writeValueAsString(Map.of("nbformat", 4, "nbformat_minor", 5, "cells", cells,
                    "metadata", Map.of("kernelspec", Map.of("name", "python3", "language", "python", "display_name", "Python 3"))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
