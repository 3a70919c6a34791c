package dev.atelier.server.http;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are an outage of the database or the artifact store (503 with Retry-After) and which are not (500). */
class BackendUnavailableTest {
    @Test
    void aLostOrRefusedDatabaseConnectionIsAnOutage() {
        assertThat(BackendUnavailable.of(new IllegalStateException("jdbi",
                new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE)))).isPresent();
        assertThat(BackendUnavailable.of(new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT))).isPresent();
        assertThat(BackendUnavailable.of(new SQLException("terminating connection due to administrator command", "57P01"))).isPresent();
        assertThat(BackendUnavailable.of(new SQLException("the database system is starting up", "57P03"))).isPresent();
        assertThat(BackendUnavailable.of(new SQLTransientConnectionException("atelier-postgres - Connection is not available",
                "08001", new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT))))
                .hasValueSatisfying(message -> assertThat(message).contains("cannot be reached"));
    }

    @Test
    void aPoolWithEveryConnectionBusyIsAnOutageThatSaysSo() {
        assertThat(BackendUnavailable.of(new SQLTransientConnectionException("atelier-postgres - Connection is not available, "
                + "request timed out after 5000ms (total=16, active=16, idle=0, waiting=40)")))
                .hasValueSatisfying(message -> assertThat(message).contains("busy"));
    }

    @Test
    void anUnreachableStorageServiceIsAnOutage() {
        IOException s3 = new IOException("S3 request failed", new RuntimeException("Unable to execute HTTP request",
                new ConnectException("Connection refused")));
        assertThat(BackendUnavailable.of(new UncheckedIOException(s3))).hasValueSatisfying(message -> assertThat(message).contains("storage"));
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(BackendUnavailable.of(new SQLException("duplicate key value violates unique constraint", "23505"))).isEmpty();
        assertThat(BackendUnavailable.of(new SQLException("no state"))).isEmpty();
        assertThat(BackendUnavailable.of(new IllegalStateException("a bug"))).isEmpty();
        assertThat(BackendUnavailable.of(new IOException("disk read error"))).isEmpty();
    }
}
