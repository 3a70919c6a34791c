package dev.atelier.server.designer;

import dev.atelier.server.testing.HttpJson;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Small, fast command components for the designer's tests, registered over the components API. */
public final class DesignerFixtures {
    private DesignerFixtures() {
    }

    /**
     * {@code make_table} (rows: integer → data: uri_folder), {@code count_rows} (data: uri_folder, label: string enum,
     * scale: number → report: uri_folder) and {@code one_file} (→ file: uri_file), in the workspace of {@code prefix}.
     */
    public static void registerComponents(HttpJson http, String prefix) {
        register(http, prefix, Map.of("name", "make_table", "version", "1", "description", "Writes a table of numbers",
                "tags", Map.of("category", "Data input"),
                "command", "mkdir -p ${{outputs.data}} && seq ${{inputs.rows}} > ${{outputs.data}}/rows.txt",
                "inputs", Map.of("rows", Map.of("type", "integer", "default", 3, "min", 1, "max", 1000)),
                "outputs", Map.of("data", Map.of("type", "uri_folder"))));
        register(http, prefix, Map.of("name", "count_rows", "version", "1", "description", "Counts the rows of a table",
                "tags", Map.of("category", "Statistics"),
                "command", "python3 -c \"import os, sys; rows = open(sys.argv[1] + '/rows.txt').read().split(); "
                        + "os.makedirs(sys.argv[2], exist_ok=True); open(sys.argv[2] + '/count.txt', 'w').write(sys.argv[3] + ' ' "
                        + "+ str(len(rows) * float(sys.argv[4])))\" ${{inputs.data}} ${{outputs.report}} ${{inputs.label}} ${{inputs.scale}}",
                "inputs", Map.of("data", Map.of("type", "uri_folder"),
                        "label", Map.of("type", "string", "default", "rows", "enum", List.of("rows", "lines")),
                        "scale", Map.of("type", "number", "default", 1, "min", 0, "max", 10)),
                "outputs", Map.of("report", Map.of("type", "uri_folder"))));
        register(http, prefix, Map.of("name", "one_file", "version", "1", "description", "Writes one file",
                "tags", Map.of("category", "Data input"),
                "command", "echo one > ${{outputs.file}}",
                "outputs", Map.of("file", Map.of("type", "uri_file"))));
    }

    private static void register(HttpJson http, String prefix, Map<String, Object> document) {
        HttpJson.Response created = http.post(prefix + "/api/v1/components", document);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
    }
}
