package dev.atelier.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * What a model package says about its model, in its jar's {@value #PATH}: the registered model's name
 * and version, the flavor it is served with, and the Atelier version that packaged it. The model's files sit under {@value #MODEL_FOLDER} in
 * the same jar. Immutable.
 */
public record PackagedModel(String name, String version, String flavor, String atelierVersion) {
    /** Where the description sits in a package's jar. */
    public static final String PATH = "META-INF/atelier/package.properties";
    /** The folder of the model's files (MLmodel and what it names) in a package's jar. */
    public static final String MODEL_FOLDER = "model/";

    public PackagedModel {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(atelierVersion, "atelierVersion is null");
    }

    static PackagedModel read(InputStream in) throws IOException {
        Properties properties = new Properties();
        properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        return new PackagedModel(required(properties, "name"), required(properties, "version"), required(properties, "flavor"),
                properties.getProperty("atelier_version", "unknown"));
    }

    void write(OutputStream out) {
        Properties properties = new Properties();
        properties.setProperty("name", name);
        properties.setProperty("version", version);
        properties.setProperty("flavor", flavor);
        properties.setProperty("atelier_version", atelierVersion);
        try {
            properties.store(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), "Atelier model package");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(Properties properties, String key) throws IOException {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IOException(PATH + " has no " + key);
        }
        return value;
    }
}
