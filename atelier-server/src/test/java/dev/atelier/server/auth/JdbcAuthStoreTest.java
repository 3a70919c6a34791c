package dev.atelier.server.auth;

import dev.atelier.server.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The auth store (and migration V3) on real SQLite and real PostgreSQL. */
class JdbcAuthStoreTest {
    @Test
    void worksOnSqlite(@TempDir Path dir) {
        try (Database database = Database.openSqlite(dir.resolve("atelier.db"))) {
            exercise(new JdbcAuthStore(database));
        }
    }

    @Test
    void worksOnPostgres() throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
             Database database = Database.openPostgres(postgres.getJdbcUrl("postgres", "postgres"), null, null)) {
            exercise(new JdbcAuthStore(database));
        }
    }

    private static void exercise(AuthStore store) {
        User ana = new User("ana", "Ana", "ana@example.org", true, false, true, 1, 1);
        assertThat(store.createFirstUser(ana, "hash-1")).isTrue();
        assertThat(store.createFirstUser(new User("bo", "", "", true, false, true, 1, 1), "hash-2")).isFalse();
        assertThat(store.createUser(new User("bo", "Bo", "", false, false, false, 2, 2), "hash-2")).isTrue();
        assertThat(store.createUser(new User("bo", "Bo", "", false, false, false, 2, 2), "hash-2")).isFalse();
        assertThat(store.getUser("ana")).get().satisfies(stored -> {
            assertThat(stored.user()).isEqualTo(ana);
            assertThat(stored.passwordHash()).isEqualTo("hash-1");
        });
        assertThat(store.setPassword("ana", "hash-3", false, 5)).isTrue();
        assertThat(store.getUser("ana").orElseThrow().user().mustChangePassword()).isFalse();
        assertThat(store.updateUser(new User("bo", "Bo B.", "bo@example.org", false, true, false, 2, 6))).isTrue();
        assertThat(store.listUsers()).extracting(User::username).containsExactly("ana", "bo");
        assertThat(store.countActiveServerAdmins()).isEqualTo(1);

        store.createToken(new ApiToken("t1", "ana", "laptop", null, false, null, 10), "sha-1");
        store.createToken(new ApiToken("t2", "ana", "ci", "team", true, 99L, 11), "sha-2");
        assertThat(store.findToken("sha-2")).contains(new ApiToken("t2", "ana", "ci", "team", true, 99L, 11));
        assertThat(store.listTokens("ana")).extracting(ApiToken::id).containsExactly("t2", "t1");
        store.revokeWorkspaceTokens("team", 12);
        assertThat(store.findToken("sha-2")).isEmpty();
        assertThat(store.revokeToken("t1", 13)).isTrue();
        assertThat(store.revokeToken("t1", 14)).isFalse();
        assertThat(store.listTokens("ana")).isEmpty();

        store.createSession("s1", "ana", 1, 100);
        store.createSession("s2", "ana", 1, 100);
        assertThat(store.sessionUser("s1", 50)).contains("ana");
        assertThat(store.sessionUser("s1", 100)).isEmpty();
        store.deleteSessions("ana", "s2");
        assertThat(store.sessionUser("s1", 50)).isEmpty();
        assertThat(store.sessionUser("s2", 50)).contains("ana");
        store.deleteExpiredSessions(200);
        assertThat(store.sessionUser("s2", 50)).isEmpty();

        store.assignRole("team", "bo", Role.READER);
        store.assignRole("team", "bo", Role.DATA_SCIENTIST);
        store.assignRole("other", "bo", Role.OWNER);
        assertThat(store.role("team", "bo")).contains(Role.DATA_SCIENTIST);
        assertThat(store.assignments("team")).containsExactly(new RoleAssignment("bo", "Data Scientist"));
        assertThat(store.rolesOf("bo")).isEqualTo(Map.of("other", Role.OWNER, "team", Role.DATA_SCIENTIST));
        store.deleteAssignments("team");
        assertThat(store.role("team", "bo")).isEmpty();
        assertThat(store.removeRole("other", "bo")).isTrue();
        assertThat(store.removeRole("other", "bo")).isFalse();
    }
}
