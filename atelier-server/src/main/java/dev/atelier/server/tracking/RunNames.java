package dev.atelier.server.tracking;

import java.security.SecureRandom;
import java.util.List;
import java.util.random.RandomGenerator;

/** Names runs that were created without one, the way MLflow does: {@code <adjective>-<noun>-<number>}. */
final class RunNames {
    private static final List<String> ADJECTIVES = List.of("abundant", "bold", "brave", "bright", "calm", "clever", "crisp",
            "dapper", "eager", "gentle", "glowing", "honest", "lively", "loud", "lucky", "merciful", "nimble", "polite",
            "quiet", "rare", "sincere", "smiling", "sturdy", "swift", "tasteful", "thoughtful", "unique", "vivid", "wise", "zealous");
    private static final List<String> NOUNS = List.of("ant", "bass", "bear", "bird", "cat", "colt", "crab", "deer", "doe",
            "eel", "finch", "fox", "goat", "gull", "hare", "hawk", "koi", "lark", "lynx", "mole", "moth", "newt", "owl",
            "ox", "rat", "seal", "shrew", "slug", "snail", "wolf");
    private static final RandomGenerator RANDOM = new SecureRandom();

    private RunNames() {
    }

    static String generate() {
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(RANDOM.nextInt(NOUNS.size())) + "-"
                + RANDOM.nextInt(1000);
    }
}
