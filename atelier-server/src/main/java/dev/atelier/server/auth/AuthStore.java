package dev.atelier.server.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of users, API tokens, sessions and role assignments. Implementations are thread-safe. */
public interface AuthStore {
    /** Inserts a user; false when the name is taken. */
    boolean createUser(User user, String passwordHash);

    /** Inserts {@code user} only when there is no user at all (first start); false otherwise. */
    boolean createFirstUser(User user, String passwordHash);

    Optional<StoredUser> getUser(String username);

    List<User> listUsers();

    /** Replaces display name, email, server-admin and disabled flags; false when missing. */
    boolean updateUser(User user);

    boolean setPassword(String username, String passwordHash, boolean mustChangePassword, long updateTime);

    /** Users that are server admins and not disabled. */
    int countActiveServerAdmins();

    void createToken(ApiToken token, String tokenHash);

    /** The token with this SHA-256, unless revoked. */
    Optional<ApiToken> findToken(String tokenHash);

    Optional<ApiToken> getToken(String id);

    /** A user's tokens that are not revoked, newest first. */
    List<ApiToken> listTokens(String username);

    boolean revokeToken(String id, long revocationTime);

    /** Revokes every token restricted to {@code workspace}. */
    void revokeWorkspaceTokens(String workspace, long revocationTime);

    /** Revokes every token of {@code username}; returns how many were still valid. */
    int revokeUserTokens(String username, long revocationTime);

    void createSession(String sessionHash, String username, long creationTime, long expirationTime);

    /** The user of an unexpired session. */
    Optional<String> sessionUser(String sessionHash, long now);

    void deleteSession(String sessionHash);

    /** Ends every session of {@code username} except {@code keptSessionHash} (null ends them all). */
    void deleteSessions(String username, String keptSessionHash);

    void deleteExpiredSessions(long now);

    /** Sets (or replaces) the user's role in the workspace. */
    void assignRole(String workspace, String username, Role role);

    boolean removeRole(String workspace, String username);

    Optional<Role> role(String workspace, String username);

    List<RoleAssignment> assignments(String workspace);

    /** Workspace to role, for one user. */
    Map<String, Role> rolesOf(String username);

    void deleteAssignments(String workspace);
}
