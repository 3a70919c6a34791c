package dev.atelier.server.auth;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Rules of users and passwords: names, the password policy, Argon2id hashing, the first admin,
 * password checks with throttling and a short-lived cache of successful checks. Passwords are never
 * stored, logged or returned, except a generated one, which is returned (or printed) exactly once.
 * Thread-safe.
 */
public final class UserService {
    private static final Logger LOG = LoggerFactory.getLogger(UserService.class);
    public static final String FIRST_ADMIN = "admin";
    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_PASSWORD_LENGTH = 1024;
    /** Longer names are refused before any password work: no user has one (see {@link #USERNAME}). */
    static final int MAX_LOGIN_NAME_LENGTH = 256;
    /** No ':' (HTTP Basic separates user and password with it) and nothing a URL or shell would mangle. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final String BAD_CREDENTIALS = "Invalid username or password";

    private final AuthStore store;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final VerifiedPasswords verified;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public UserService(AuthStore store, PasswordHasher hasher, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.throttle = new LoginThrottle(clock);
        this.verified = new VerifiedPasswords(clock);
    }

    /**
     * On a server without users, creates the server admin {@value #FIRST_ADMIN} with {@code initialPassword}
     * or a generated one, which is printed once on {@code console} (never to the log). Either way the
     * password must be changed at first login. Does nothing when any user exists.
     */
    public void ensureFirstAdmin(Optional<String> initialPassword, PrintStream console) {
        initialPassword.ifPresent(UserService::checkPasswordPolicy);
        String password = initialPassword.orElseGet(() -> Secrets.randomPassword(random));
        long now = clock.millis();
        User admin = new User(FIRST_ADMIN, "Administrator", "", true, false, true, now, now);
        if (!store.createFirstUser(admin, hasher.hash(password))) {
            return;
        }
        LOG.info("Created the server administrator '{}'; its password must be changed at first login", FIRST_ADMIN);
        if (initialPassword.isEmpty()) {
            console.println();
            console.println("Atelier created the server administrator '" + FIRST_ADMIN + "' with this password:");
            console.println();
            console.println("    " + password);
            console.println();
            console.println("It is shown only this once. Log in and change it: POST /api/v1/auth/password.");
            console.println();
            console.flush();
        }
    }

    public User create(String username, String password, String displayName, String email, boolean serverAdmin,
                       boolean mustChangePassword) {
        if (!USERNAME.matcher(username).matches()) {
            throw AtelierException.invalidParameter("Invalid username '" + username + "': use 1 to 64 letters, digits, "
                    + "'.', '_', '@' and '-', starting with a letter or digit");
        }
        checkPasswordPolicy(password);
        long now = clock.millis();
        User user = new User(username, displayName, email, serverAdmin, false, mustChangePassword, now, now);
        if (!store.createUser(user, hasher.hash(password))) {
            throw AtelierException.alreadyExists("User '" + username + "' already exists");
        }
        return user;
    }

    public User get(String username) {
        return store.getUser(username).map(StoredUser::user).orElseThrow(() -> notFound(username));
    }

    public List<User> list() {
        return store.listUsers();
    }

    /** Changes the given fields; refuses to leave the server without an enabled server admin. */
    public User update(String username, Optional<String> displayName, Optional<String> email, Optional<Boolean> disabled,
                       Optional<Boolean> serverAdmin) {
        User current = get(username);
        User updated = new User(username, displayName.orElse(current.displayName()), email.orElse(current.email()),
                serverAdmin.orElse(current.serverAdmin()), disabled.orElse(current.disabled()), current.mustChangePassword(),
                current.creationTime(), clock.millis());
        boolean losesAdmin = current.serverAdmin() && !current.disabled() && (!updated.serverAdmin() || updated.disabled());
        if (losesAdmin && store.countActiveServerAdmins() <= 1) {
            throw AtelierException.invalidState("User '" + username + "' is the last enabled server admin; "
                    + "make another user a server admin first");
        }
        store.updateUser(updated);
        if (updated.disabled()) {
            verified.forget(username);
            store.deleteSessions(username, null);
        }
        return updated;
    }

    /**
     * Sets a new password chosen by an admin (or generated when empty) that the user must change at
     * next login; ends all the user's sessions and, with {@code revokeTokens}, revokes all their API
     * tokens (for a password that leaked with the tokens made from it).
     */
    public PasswordReset resetPassword(String username, Optional<String> newPassword, boolean revokeTokens) {
        get(username);
        newPassword.ifPresent(UserService::checkPasswordPolicy);
        String password = newPassword.orElseGet(() -> Secrets.randomPassword(random));
        long now = clock.millis();
        store.setPassword(username, hasher.hash(password), true, now);
        verified.forget(username);
        store.deleteSessions(username, null);
        int revoked = revokeTokens ? store.revokeUserTokens(username, now) : 0;
        return new PasswordReset(password, revoked);
    }

    /** The new password (the only time it is shown) and how many API tokens the reset revoked. */
    public record PasswordReset(String password, int revokedTokens) {
        public PasswordReset {
            requireNonNull(password, "password is null");
        }
    }

    /**
     * Changes a user's own password after checking the current one (throttled like a login); ends the
     * user's other sessions, keeping {@code keptSessionHash}, the session that made the change (null
     * when not called from a session): whoever changes a password they suspect leaked keeps working
     * and everyone else who used it is logged out. API tokens stay; they are revoked one by one.
     */
    public void changePassword(String username, String currentPassword, String newPassword, String clientAddress,
                               String keptSessionHash) {
        checkPasswordPolicy(newPassword);
        if (newPassword.equals(currentPassword)) {
            throw AtelierException.invalidParameter("The new password must differ from the current one");
        }
        StoredUser stored = store.getUser(username).orElseThrow(() -> notFound(username));
        checkThrottle(username, clientAddress);
        if (!verified.contains(username, currentPassword, stored.passwordHash()) && !hasher.verify(currentPassword, stored.passwordHash())) {
            throttle.failed(username, clientAddress);
            throw new AtelierException(ErrorCode.PERMISSION_DENIED, "The current password is wrong");
        }
        store.setPassword(username, hasher.hash(newPassword), false, clock.millis());
        verified.forget(username);
        store.deleteSessions(username, keptSessionHash);
    }

    /**
     * Checks a user name and password (login, HTTP Basic). Unknown users, wrong passwords and the right
     * password of a disabled user get the same 401 after the same Argon2id work, and count alike
     * against the throttle; after too many failures ({@link LoginThrottle}), 429
     * {@code REQUEST_LIMIT_EXCEEDED} before any check. A name over {@value #MAX_LOGIN_NAME_LENGTH}
     * characters is a 400 before anything else.
     */
    public User checkPassword(String username, String password, String clientAddress) {
        if (username.length() > MAX_LOGIN_NAME_LENGTH) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'username': at most "
                    + MAX_LOGIN_NAME_LENGTH + " characters");
        }
        checkThrottle(username, clientAddress);
        Optional<StoredUser> stored = store.getUser(username);
        boolean matches;
        if (stored.isEmpty()) {
            matches = hasher.verifyNothing(password);
        } else if (verified.contains(username, password, stored.get().passwordHash())) {
            matches = true;
        } else {
            matches = hasher.verify(password, stored.get().passwordHash());
            if (matches && !stored.get().user().disabled()) {
                verified.add(username, password, stored.get().passwordHash());
            }
        }
        if (!matches || stored.get().user().disabled()) {
            throttle.failed(username, clientAddress);
            throw unauthenticated(BAD_CREDENTIALS);
        }
        throttle.succeeded(username, clientAddress);
        return stored.get().user();
    }

    /** The user behind a token or session, unless missing or disabled (401). */
    User activeUser(String username) {
        User user = store.getUser(username).map(StoredUser::user).orElseThrow(() -> unauthenticated(BAD_CREDENTIALS));
        if (user.disabled()) {
            throw unauthenticated("User '" + username + "' is disabled");
        }
        return user;
    }

    private void checkThrottle(String username, String clientAddress) {
        Optional<Duration> locked = throttle.lockedFor(username, clientAddress);
        if (locked.isPresent()) {
            throw new AtelierException(ErrorCode.REQUEST_LIMIT_EXCEEDED, "Too many failed logins for this user or address; "
                    + "try again in " + Math.max(1, locked.get().toSeconds()) + " seconds");
        }
    }

    private static void checkPasswordPolicy(String password) {
        if (password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw AtelierException.invalidParameter("Invalid password: use " + MIN_PASSWORD_LENGTH + " to "
                    + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    static AtelierException unauthenticated(String message) {
        return new AtelierException(ErrorCode.UNAUTHENTICATED, message);
    }

    private static AtelierException notFound(String username) {
        return AtelierException.notFound("User '" + username + "' does not exist");
    }
}
