package dev.atelier.server.auth;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link AuthStore} on SQLite or PostgreSQL (migration V3__auth.sql). Thread-safe. */
public final class JdbcAuthStore implements AuthStore {
    private static final String USER_COLUMNS = """
            username, display_name, email, server_admin, disabled, must_change_password, creation_time, last_update_time, \
            password_hash""";
    private static final String TOKEN_COLUMNS = "token_id, username, name, workspace, read_only, expiration_time, creation_time";
    private static final RowMapper<StoredUser> USER = (rs, ctx) -> new StoredUser(new User(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getInt(4) != 0, rs.getInt(5) != 0, rs.getInt(6) != 0, rs.getLong(7), rs.getLong(8)), rs.getString(9));
    private static final RowMapper<ApiToken> TOKEN = (rs, ctx) -> new ApiToken(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getInt(5) != 0, nullableLong(rs, 6), rs.getLong(7));

    private final Database database;

    public JdbcAuthStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean createUser(User user, String passwordHash) {
        return database.write(handle -> insertUser(handle, user, passwordHash));
    }

    @Override
    public boolean createFirstUser(User user, String passwordHash) {
        return database.write(handle -> handle.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one() == 0
                && insertUser(handle, user, passwordHash));
    }

    private static boolean insertUser(org.jdbi.v3.core.Handle handle, User user, String passwordHash) {
        return handle.createUpdate("""
                        INSERT INTO users (username, display_name, email, password_hash, server_admin, disabled,
                                           must_change_password, creation_time, last_update_time)
                        VALUES (:username, :displayName, :email, :hash, :admin, :disabled, :mustChange, :created, :updated)
                        ON CONFLICT (username) DO NOTHING
                        """)
                .bind("username", user.username())
                .bind("displayName", user.displayName())
                .bind("email", user.email())
                .bind("hash", passwordHash)
                .bind("admin", flag(user.serverAdmin()))
                .bind("disabled", flag(user.disabled()))
                .bind("mustChange", flag(user.mustChangePassword()))
                .bind("created", user.creationTime())
                .bind("updated", user.lastUpdateTime())
                .execute() > 0;
    }

    @Override
    public Optional<StoredUser> getUser(String username) {
        return database.read(handle -> handle.createQuery("SELECT " + USER_COLUMNS + " FROM users WHERE username = :username")
                .bind("username", username)
                .map(USER)
                .findOne());
    }

    @Override
    public List<User> listUsers() {
        return database.read(handle -> handle.createQuery("SELECT " + USER_COLUMNS + " FROM users ORDER BY username")
                .map(USER)
                .map(StoredUser::user)
                .list());
    }

    @Override
    public boolean updateUser(User user) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE users SET display_name = :displayName, email = :email, server_admin = :admin,
                                         disabled = :disabled, last_update_time = :updated
                        WHERE username = :username
                        """)
                .bind("username", user.username())
                .bind("displayName", user.displayName())
                .bind("email", user.email())
                .bind("admin", flag(user.serverAdmin()))
                .bind("disabled", flag(user.disabled()))
                .bind("updated", user.lastUpdateTime())
                .execute() > 0);
    }

    @Override
    public boolean setPassword(String username, String passwordHash, boolean mustChangePassword, long updateTime) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE users SET password_hash = :hash, must_change_password = :mustChange, last_update_time = :updated
                        WHERE username = :username
                        """)
                .bind("username", username)
                .bind("hash", passwordHash)
                .bind("mustChange", flag(mustChangePassword))
                .bind("updated", updateTime)
                .execute() > 0);
    }

    @Override
    public int countActiveServerAdmins() {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM users WHERE server_admin = 1 AND disabled = 0")
                .mapTo(Integer.class)
                .one());
    }

    @Override
    public void createToken(ApiToken token, String tokenHash) {
        database.writeVoid(handle -> handle.createUpdate("""
                        INSERT INTO api_tokens (token_id, token_hash, username, name, workspace, read_only, creation_time,
                                                expiration_time)
                        VALUES (:id, :hash, :username, :name, :workspace, :readOnly, :created, :expires)
                        """)
                .bind("id", token.id())
                .bind("hash", tokenHash)
                .bind("username", token.username())
                .bind("name", token.name())
                .bind("workspace", token.workspace())
                .bind("readOnly", flag(token.readOnly()))
                .bind("created", token.createdAt())
                .bind("expires", token.expiresAt())
                .execute());
    }

    @Override
    public Optional<ApiToken> findToken(String tokenHash) {
        return database.read(handle -> handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM api_tokens WHERE token_hash = :hash AND revocation_time IS NULL")
                .bind("hash", tokenHash)
                .map(TOKEN)
                .findOne());
    }

    @Override
    public Optional<ApiToken> getToken(String id) {
        return database.read(handle -> handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM api_tokens WHERE token_id = :id AND revocation_time IS NULL")
                .bind("id", id)
                .map(TOKEN)
                .findOne());
    }

    @Override
    public List<ApiToken> listTokens(String username) {
        return database.read(handle -> handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM api_tokens WHERE username = :username AND revocation_time IS NULL"
                        + " ORDER BY creation_time DESC, token_id")
                .bind("username", username)
                .map(TOKEN)
                .list());
    }

    @Override
    public boolean revokeToken(String id, long revocationTime) {
        return database.write(handle -> handle.createUpdate(
                        "UPDATE api_tokens SET revocation_time = :time WHERE token_id = :id AND revocation_time IS NULL")
                .bind("id", id)
                .bind("time", revocationTime)
                .execute() > 0);
    }

    @Override
    public void revokeWorkspaceTokens(String workspace, long revocationTime) {
        database.writeVoid(handle -> handle.createUpdate(
                        "UPDATE api_tokens SET revocation_time = :time WHERE workspace = :workspace AND revocation_time IS NULL")
                .bind("workspace", workspace)
                .bind("time", revocationTime)
                .execute());
    }

    @Override
    public int revokeUserTokens(String username, long revocationTime) {
        return database.write(handle -> handle.createUpdate(
                        "UPDATE api_tokens SET revocation_time = :time WHERE username = :username AND revocation_time IS NULL")
                .bind("username", username)
                .bind("time", revocationTime)
                .execute());
    }

    @Override
    public void createSession(String sessionHash, String username, long creationTime, long expirationTime) {
        database.writeVoid(handle -> handle.createUpdate("""
                        INSERT INTO sessions (session_hash, username, creation_time, expiration_time)
                        VALUES (:hash, :username, :created, :expires)
                        """)
                .bind("hash", sessionHash)
                .bind("username", username)
                .bind("created", creationTime)
                .bind("expires", expirationTime)
                .execute());
    }

    @Override
    public Optional<String> sessionUser(String sessionHash, long now) {
        return database.read(handle -> handle.createQuery(
                        "SELECT username FROM sessions WHERE session_hash = :hash AND expiration_time > :now")
                .bind("hash", sessionHash)
                .bind("now", now)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public void deleteSession(String sessionHash) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM sessions WHERE session_hash = :hash")
                .bind("hash", sessionHash)
                .execute());
    }

    @Override
    public void deleteSessions(String username, String keptSessionHash) {
        database.writeVoid(handle -> handle.createUpdate(
                        "DELETE FROM sessions WHERE username = :username AND session_hash <> :kept")
                .bind("username", username)
                .bind("kept", keptSessionHash == null ? "" : keptSessionHash)
                .execute());
    }

    @Override
    public void deleteExpiredSessions(long now) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM sessions WHERE expiration_time <= :now")
                .bind("now", now)
                .execute());
    }

    @Override
    public void assignRole(String workspace, String username, Role role) {
        database.writeVoid(handle -> handle.createUpdate("""
                        INSERT INTO role_assignments (workspace, username, role) VALUES (:workspace, :username, :role)
                        ON CONFLICT (workspace, username) DO UPDATE SET role = excluded.role
                        """)
                .bind("workspace", workspace)
                .bind("username", username)
                .bind("role", role.name())
                .execute());
    }

    @Override
    public boolean removeRole(String workspace, String username) {
        return database.write(handle -> handle.createUpdate(
                        "DELETE FROM role_assignments WHERE workspace = :workspace AND username = :username")
                .bind("workspace", workspace)
                .bind("username", username)
                .execute() > 0);
    }

    @Override
    public Optional<Role> role(String workspace, String username) {
        return database.read(handle -> handle.createQuery(
                        "SELECT role FROM role_assignments WHERE workspace = :workspace AND username = :username")
                .bind("workspace", workspace)
                .bind("username", username)
                .mapTo(String.class)
                .findOne()
                .map(Role::valueOf));
    }

    @Override
    public List<RoleAssignment> assignments(String workspace) {
        return database.read(handle -> handle.createQuery(
                        "SELECT username, role FROM role_assignments WHERE workspace = :workspace ORDER BY username")
                .bind("workspace", workspace)
                .map((rs, ctx) -> RoleAssignment.of(rs.getString(1), Role.valueOf(rs.getString(2))))
                .list());
    }

    @Override
    public Map<String, Role> rolesOf(String username) {
        return database.read(handle -> {
            Map<String, Role> roles = new LinkedHashMap<>();
            handle.createQuery("SELECT workspace, role FROM role_assignments WHERE username = :username ORDER BY workspace")
                    .bind("username", username)
                    .map((rs, ctx) -> roles.put(rs.getString(1), Role.valueOf(rs.getString(2))))
                    .list();
            return roles;
        });
    }

    @Override
    public void deleteAssignments(String workspace) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM role_assignments WHERE workspace = :workspace")
                .bind("workspace", workspace)
                .execute());
    }

    private static int flag(boolean value) {
        return value ? 1 : 0;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
