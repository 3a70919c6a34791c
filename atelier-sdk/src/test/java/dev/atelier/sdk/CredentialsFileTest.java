package dev.atelier.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialsFileTest {
    @TempDir
    Path home;

    private static final CredentialsFile.StoredToken ADA = new CredentialsFile.StoredToken("atl_ada", "1", "ada");

    @Test
    void storeCreatesTheFolderAndFileForTheOwnerOnly() throws IOException {
        Path folder = home.resolve("config");
        CredentialsFile file = CredentialsFile.located(Map.of("ATELIER_CONFIG_DIR", folder.toString()));

        file.store("http://127.0.0.1:5000", ADA);

        assertThat(file.path()).isEqualTo(folder.resolve("credentials"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        try (var leftovers = Files.list(folder)) {
            assertThat(leftovers).containsExactly(file.path());
        }
    }

    @Test
    void storeTightensAFileOthersCouldRead() throws IOException {
        Path path = home.resolve("credentials");
        Files.writeString(path, "{}");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

        CredentialsFile.at(path).store("http://127.0.0.1:5000", ADA);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
    }

    @Test
    void storeReplacesTheTokenOfTheSameServerAndKeepsTheOthers() {
        CredentialsFile file = CredentialsFile.at(home.resolve("credentials"));
        file.store("http://a:5000", ADA);
        file.store("http://b:5000", new CredentialsFile.StoredToken("atl_b", "2", "bob"));

        file.store("http://a:5000/", new CredentialsFile.StoredToken("atl_new", "3", "ada"));

        assertThat(file.find("http://a:5000")).contains(new CredentialsFile.StoredToken("atl_new", "3", "ada"));
        assertThat(file.find("http://b:5000")).contains(new CredentialsFile.StoredToken("atl_b", "2", "bob"));
    }

    @Test
    void removeForgetsOneServerAndReturnsWhatWasStored() {
        CredentialsFile file = CredentialsFile.at(home.resolve("credentials"));
        file.store("http://a:5000", ADA);

        assertThat(file.remove("http://a:5000")).contains(ADA);
        assertThat(file.find("http://a:5000")).isEmpty();
        assertThat(file.remove("http://a:5000")).isEmpty();
    }

    @Test
    void missingFileHoldsNothing() {
        assertThat(CredentialsFile.at(home.resolve("nowhere/credentials")).find("http://a:5000")).isEmpty();
    }

    @Test
    void fieldsOfANewerVersionAreKept() throws IOException {
        Path path = home.resolve("credentials");
        Files.writeString(path, "{\"default_url\":\"http://a:5000\",\"servers\":{}}");

        CredentialsFile.at(path).store("http://a:5000", ADA);

        assertThat(Files.readString(path)).contains("\"default_url\"", "atl_ada");
    }

    @Test
    void malformedFileIsReportedNamingIt() throws IOException {
        Path path = home.resolve("credentials");
        Files.writeString(path, "{not json");

        assertThatThrownBy(() -> CredentialsFile.at(path).find("http://a:5000"))
                .isInstanceOf(CredentialsFileException.class)
                .hasMessageContaining(path.toString());
    }
}
