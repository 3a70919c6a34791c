package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.server.models.ModelInput;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow's {@code text/csv} scoring input: a header row of column names, then one row per record
 * (RFC 4180 quoting, parsed by Jackson's CSV module), read as pandas' {@code read_csv} with the
 * signature's column types would read it ({@link ColumnTypes#parseText}).
 */
final class CsvInput {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private CsvInput() {
    }

    /**
     * @throws AtelierException {@code BAD_REQUEST} when the body is not CSV or has no header row,
     *                          {@code INVALID_PARAMETER_VALUE} when a cell does not fit its column
     */
    static ModelInput parse(byte[] body, Optional<Schema> inputs) {
        Map<String, String> types = new HashMap<>();
        inputs.filter(schema -> !schema.isTensorBased()).ifPresent(schema -> SignatureCheck.columnSpecs(schema)
                .forEach(spec -> spec.name().ifPresent(name -> types.put(name, spec.type()))));
        try (MappingIterator<List<String>> lines = CSV.readerForListOf(String.class).readValues(body)) {
            if (!lines.hasNextValue()) {
                throw new AtelierException(ErrorCode.BAD_REQUEST, "the CSV input is empty: it needs a header row of column names");
            }
            List<String> columns = lines.nextValue();
            String[] columnTypes = new String[columns.size()];
            for (int i = 0; i < columnTypes.length; i++) {
                columnTypes[i] = types.get(columns.get(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (lines.hasNextValue()) {
                List<String> cells = lines.nextValue();
                if (cells.size() == 1 && cells.getFirst().isEmpty() && columns.size() > 1) {
                    continue;
                }
                int row = rows.size();
                if (cells.size() != columns.size()) {
                    throw new AtelierException(ErrorCode.BAD_REQUEST, "CSV row " + row + " has " + cells.size()
                            + " cells for " + columns.size() + " columns " + columns);
                }
                List<Object> values = new ArrayList<>(cells.size());
                for (int i = 0; i < cells.size(); i++) {
                    values.add(ColumnTypes.parseText(cells.get(i), columnTypes[i], columns.get(i), row));
                }
                rows.add(values);
            }
            return SignatureCheck.fromRows(columns, rows, inputs);
        } catch (IOException e) {
            throw new AtelierException(ErrorCode.BAD_REQUEST, "Failed to parse input as CSV (a header row, then one row per "
                    + "record): " + e.getMessage());
        }
    }
}
