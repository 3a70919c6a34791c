package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/** The value of one version of a secret. {@code toString} hides the value. */
public record SecretValue(String name, long version, String value) {
    public SecretValue {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
    }

    static SecretValue fromJson(JsonNode node) {
        return new SecretValue(JsonFields.text(node, "name"), JsonFields.longValue(node, "version"), JsonFields.text(node, "value"));
    }

    @Override
    public String toString() {
        return "SecretValue[name=" + name + ", version=" + version + ", value=***]";
    }
}
