package dev.atelier.server.secrets;

import static java.util.Objects.requireNonNull;

/** A secret's value as the value route answers it. {@link #toString} leaves the value out, so logs never show it. */
public record SecretValue(String name, int version, String value) {
    public SecretValue {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
    }

    @Override
    public String toString() {
        return "SecretValue[name=" + name + ", version=" + version + ", value=***]";
    }
}
