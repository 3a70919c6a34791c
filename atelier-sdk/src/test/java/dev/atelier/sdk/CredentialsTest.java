package dev.atelier.sdk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which credentials a client sends, from which source, in which header; a hand-written fake records the requests. */
class CredentialsTest {
    @TempDir
    Path configDir;

    private FakeAtelierServer fake;

    @BeforeEach
    void startFake() {
        fake = FakeAtelierServer.start().answer("GET", "/api/v1/workspaces", 200, "{\"workspaces\":[]}");
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private Optional<String> authorizationSentWith(AtelierClient.Builder builder) {
        try (AtelierClient client = builder.build()) {
            client.workspaces().list();
        }
        return fake.lastRequest().header("Authorization");
    }

    private Map<String, String> environment(String... pairs) {
        Map<String, String> environment = new HashMap<>();
        environment.put(CredentialsFile.CONFIG_DIR_VARIABLE, configDir.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            environment.put(pairs[i], pairs[i + 1]);
        }
        return environment;
    }

    private static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void givenTokenIsSentAsBearer() {
        assertThat(authorizationSentWith(AtelierClient.builder(fake.url()).credentials(Credentials.token("atl_given"))))
                .contains("Bearer atl_given");
    }

    @Test
    void givenUsernameAndPasswordAreSentAsBasic() {
        assertThat(authorizationSentWith(AtelierClient.builder(fake.url()).credentials(Credentials.basic("ada", "pä:ss"))))
                .contains(basic("ada", "pä:ss"));
    }

    @Test
    void givenCredentialsWinOverTheEnvironment() {
        AtelierClient.Builder builder = AtelierClient.builder(fake.url())
                .environment(environment("ATELIER_TOKEN", "atl_from_env"))
                .credentials(Credentials.token("atl_given"));

        assertThat(authorizationSentWith(builder)).contains("Bearer atl_given");
    }

    @Test
    void tokenFromTheEnvironmentWinsOverUsernameAndPasswordAndTheFile() {
        CredentialsFile.located(environment()).store(fake.url(), new CredentialsFile.StoredToken("atl_from_file", "7", "ada"));
        AtelierClient.Builder builder = AtelierClient.builder(fake.url()).environment(environment(
                "ATELIER_TOKEN", "atl_from_env", "ATELIER_USERNAME", "ada", "ATELIER_PASSWORD", "secret"));

        assertThat(authorizationSentWith(builder)).contains("Bearer atl_from_env");
    }

    @Test
    void usernameAndPasswordFromTheEnvironmentWinOverTheFile() {
        CredentialsFile.located(environment()).store(fake.url(), new CredentialsFile.StoredToken("atl_from_file", "7", "ada"));
        AtelierClient.Builder builder = AtelierClient.builder(fake.url())
                .environment(environment("ATELIER_USERNAME", "grace", "ATELIER_PASSWORD", "secret"));

        assertThat(authorizationSentWith(builder)).contains(basic("grace", "secret"));
    }

    @Test
    void usernameWithoutPasswordIsNotEnoughAndTheFileIsUsed() {
        CredentialsFile.located(environment()).store(fake.url(), new CredentialsFile.StoredToken("atl_from_file", "7", "ada"));
        AtelierClient.Builder builder = AtelierClient.builder(fake.url()).environment(environment("ATELIER_USERNAME", "grace"));

        assertThat(authorizationSentWith(builder)).contains("Bearer atl_from_file");
    }

    @Test
    void fileTokenIsFoundForTheSameServerWrittenWithATrailingSlash() {
        CredentialsFile.located(environment()).store(fake.url() + "/", new CredentialsFile.StoredToken("atl_from_file", "7", "ada"));

        try (AtelierClient client = AtelierClient.builder(fake.url()).environment(environment()).build()) {
            client.workspaces().list();
            assertThat(client.credentialsSource()).contains("credentials file", configDir.toString());
        }
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer atl_from_file");
    }

    @Test
    void fileTokenOfAnotherServerIsNotSent() {
        CredentialsFile.located(environment()).store("http://elsewhere:5000", new CredentialsFile.StoredToken("atl_other", "7", "ada"));

        assertThat(authorizationSentWith(AtelierClient.builder(fake.url()).environment(environment()))).isEmpty();
    }

    @Test
    void withoutAnyCredentialsNoAuthorizationHeaderIsSent() {
        try (AtelierClient client = AtelierClient.builder(fake.url()).environment(environment()).build()) {
            client.workspaces().list();
            assertThat(client.credentialsSource()).isEqualTo("none");
        }
        assertThat(fake.lastRequest().header("Authorization")).isEmpty();
    }

    @Test
    void blankTokenVariableIsIgnored() {
        AtelierClient.Builder builder = AtelierClient.builder(fake.url())
                .environment(environment("ATELIER_TOKEN", " ", "ATELIER_USERNAME", "ada", "ATELIER_PASSWORD", "pw"));

        assertThat(authorizationSentWith(builder)).contains(basic("ada", "pw"));
    }

    @Test
    void credentialsNeverShowTheirSecretWhenPrinted() {
        assertThat(Credentials.token("atl_secret").toString()).doesNotContain("atl_secret");
        assertThat(Credentials.basic("ada", "hunter2").toString()).contains("ada").doesNotContain("hunter2");
        assertThat(new CredentialsFile.StoredToken("atl_secret", "1", "ada").toString()).doesNotContain("atl_secret");
        assertThat(new SecretValue("db", 1, "s3cr3t").toString()).doesNotContain("s3cr3t");
    }
}
