package dev.atelier.server.tracking.search;

import dev.atelier.server.store.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

class SqliteSearchQueryTest extends SearchQueryContractTest {
    private Path folder;

    @Override
    Database openDatabase() throws Exception {
        folder = Files.createTempDirectory("atelier-search");
        return Database.openSqlite(folder.resolve("t.db"));
    }

    @Override
    void release() throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
