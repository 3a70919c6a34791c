package dev.atelier.server.auth;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Passwords and tokens never reach the database in clear. */
class SecretsAtRestTest {
    @Test
    void theSqliteFilesHoldNoPasswordOrTokenInClear() throws IOException {
        String password = "clear-text-password-4711";
        String resetPassword;
        String token;
        Path dataDir;
        try (SecuredServer server = SecuredServer.start()) {
            dataDir = server.server().server().dataDir();
            server.createUser("at-rest-user", password, false);
            token = server.createToken(SecuredServer.basic("at-rest-user", password), Map.of("name", "at-rest"));
            server.call("POST", "/api/v1/auth/login", Map.of("username", "at-rest-user", "password", password), null);
            resetPassword = server.call("POST", "/api/v1/users/at-rest-user/reset-password", Map.of(), server.admin())
                    .json().get("password").asText();
        }
        String files = databaseFiles(dataDir);
        assertThat(files).contains("at-rest-user").contains("$argon2id$");
        assertThat(files).doesNotContain(password, token, token.substring("atl_".length()), resetPassword,
                SecuredServer.ADMIN_PASSWORD, SecuredServer.INITIAL_ADMIN_PASSWORD);
    }

    /** Every file of the SQLite database (main file, write-ahead log) as one ISO-8859-1 string of its bytes. */
    private static String databaseFiles(Path dataDir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Path> files;
        try (Stream<Path> listing = Files.list(dataDir)) {
            files = listing.filter(path -> path.getFileName().toString().startsWith("atelier.db")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            bytes.write(Files.readAllBytes(file));
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
