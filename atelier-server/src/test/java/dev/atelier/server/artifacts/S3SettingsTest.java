package dev.atelier.server.artifacts;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3SettingsTest {
    @Test
    void readsBucketAndPrefixFromTheUriAndTheRestFromTheEnvironment() {
        S3Settings settings = S3Settings.fromUri("s3://ml-bucket/team/artifacts/", Map.of(
                "ATELIER_S3_ENDPOINT", "http://127.0.0.1:9000", "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "key", "AWS_SECRET_ACCESS_KEY", "secret"));
        assertThat(settings.bucket()).isEqualTo("ml-bucket");
        assertThat(settings.prefix()).isEqualTo("team/artifacts");
        assertThat(settings.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(settings.region()).isEqualTo("eu-west-1");
        assertThat(settings.pathStyle()).isTrue();
        assertThat(settings.accessKeyId()).contains("key");
        assertThat(settings.toString()).doesNotContain("secret");
        assertThat(settings.under("/data/").prefix()).isEqualTo("team/artifacts/data");
    }

    @Test
    void defaultsToTheSdkChainUsEast1AndTheBucketRoot() {
        S3Settings settings = S3Settings.fromUri("s3://bucket", Map.of("ATELIER_S3_PATH_STYLE", "false"));
        assertThat(settings.prefix()).isEmpty();
        assertThat(settings.region()).isEqualTo(S3Settings.DEFAULT_REGION);
        assertThat(settings.accessKeyId()).isEqualTo(Optional.empty());
        assertThat(settings.pathStyle()).isFalse();
    }

    @Test
    void refusesOtherSchemesAMissingBucketAndHalfTheCredentials() {
        assertThatThrownBy(() -> S3Settings.fromUri("gs://bucket", Map.of())).hasMessageContaining("not an s3:// URI");
        assertThatThrownBy(() -> S3Settings.fromUri("s3:///prefix", Map.of())).hasMessageContaining("no bucket");
        assertThatThrownBy(() -> S3Settings.fromUri("s3://bucket", Map.of("AWS_ACCESS_KEY_ID", "key")))
                .hasMessageContaining("together");
    }
}
