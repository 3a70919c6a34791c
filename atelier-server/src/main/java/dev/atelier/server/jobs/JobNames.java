package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Job names: given by the document or generated; unique in their workspace. */
final class JobNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,199}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobNames() {
    }

    static void check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for 'name': use 1 to 200 letters, digits, '_' "
                    + "or '-', starting with a letter or digit");
        }
    }

    /** A fresh name such as {@code job_k3x9q2m7fa}. */
    static String generate() {
        StringBuilder name = new StringBuilder("job_");
        for (int i = 0; i < 10; i++) {
            name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return name.toString();
    }

    /** The name of trial {@code index} of a sweep. */
    static String trial(String sweepName, int index) {
        return sweepName + "_trial_" + index;
    }
}
