package dev.atelier.server.auth;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Permission;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.atelier.server.http.Permission.MANAGE_ACCESS;
import static dev.atelier.server.http.Permission.MANAGE_COMPUTE;
import static dev.atelier.server.http.Permission.MANAGE_COMPUTE_CONNECTION;
import static dev.atelier.server.http.Permission.MANAGE_SECRETS;
import static dev.atelier.server.http.Permission.READ;
import static dev.atelier.server.http.Permission.READ_SECRET_VALUE;
import static dev.atelier.server.http.Permission.WRITE;

/**
 * A user's role in one workspace and the workspace permissions it grants: the table of
 * docs/security.md, modelled on Azure Machine Learning's built-in roles. {@code PUBLIC},
 * {@code AUTHENTICATED} and {@code SERVER_ADMIN} are not granted by roles.
 */
public enum Role {
    OWNER("Owner", EnumSet.of(READ, WRITE, MANAGE_COMPUTE, MANAGE_COMPUTE_CONNECTION, MANAGE_SECRETS, READ_SECRET_VALUE, MANAGE_ACCESS)),
    CONTRIBUTOR("Contributor", EnumSet.of(READ, WRITE, MANAGE_COMPUTE, MANAGE_SECRETS, READ_SECRET_VALUE)),
    DATA_SCIENTIST("Data Scientist", EnumSet.of(READ, WRITE, READ_SECRET_VALUE)),
    COMPUTE_OPERATOR("Compute Operator", EnumSet.of(READ, MANAGE_COMPUTE)),
    READER("Reader", EnumSet.of(READ));

    private final String displayName;
    private final Set<Permission> permissions;

    Role(String displayName, Set<Permission> permissions) {
        this.displayName = displayName;
        this.permissions = Set.copyOf(permissions);
    }

    /** The name used on the wire: {@code Owner}, {@code Data Scientist}, ... */
    public String displayName() {
        return displayName;
    }

    public boolean grants(Permission permission) {
        return permissions.contains(permission);
    }

    /** Parses a display name, ignoring case; throws {@code INVALID_PARAMETER_VALUE} naming the valid ones. */
    public static Role fromDisplayName(String name) {
        for (Role role : values()) {
            if (role.displayName.equalsIgnoreCase(name.trim())) {
                return role;
            }
        }
        throw AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'role': expected one of "
                + Arrays.stream(values()).map(Role::displayName).collect(Collectors.joining(", ")));
    }
}
