package dev.atelier.workers.automl;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads CSV data into a {@link Frame}, streaming row by row into column arrays: a file, or a folder whose
 * {@code .csv} files (searched recursively, in name order) share one header. The first line is the header; a
 * {@code MLTable} file in a folder is ignored (its paths are the folder's CSV files). Stateless.
 */
public final class CsvFrames {
    private CsvFrames() {
    }

    /**
     * @throws IllegalArgumentException when there is no CSV file, a file's header differs from the first, or a row
     *                                  has more cells than the header
     */
    public static Frame read(Path path) throws IOException {
        List<Path> files = files(path);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no CSV file in " + path);
        }
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String> header = null;
        List<Frame.ColumnBuilder> builders = new ArrayList<>();
        int rows = 0;
        for (Path file : files) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                 MappingIterator<String[]> lines = mapper.readerFor(String[].class).readValues(reader)) {
                if (!lines.hasNext()) {
                    continue;
                }
                List<String> fileHeader = Arrays.stream(lines.next()).map(name -> name.replace("\uFEFF", "").trim()).toList();
                if (header == null) {
                    header = fileHeader;
                    header.forEach(name -> builders.add(new Frame.ColumnBuilder(name)));
                } else if (!header.equals(fileHeader)) {
                    throw new IllegalArgumentException(file.getFileName() + " has columns " + fileHeader + ", the first file " + header);
                }
                while (lines.hasNext()) {
                    String[] cells = lines.next();
                    if (cells.length == 1 && cells[0].isEmpty()) {
                        continue;
                    }
                    if (cells.length > header.size()) {
                        throw new IllegalArgumentException(file.getFileName() + " row " + (rows + 1) + " has " + cells.length
                                + " cells for " + header.size() + " columns");
                    }
                    for (int c = 0; c < header.size(); c++) {
                        builders.get(c).add(c < cells.length ? cells[c] : null);
                    }
                    rows++;
                }
            }
        }
        if (header == null) {
            throw new IllegalArgumentException("the CSV data in " + path + " has no header");
        }
        return new Frame(builders.stream().map(Frame.ColumnBuilder::build).toList(), rows);
    }

    private static List<Path> files(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("no such file or folder: " + path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"))
                    .sorted().toList();
        }
    }
}
