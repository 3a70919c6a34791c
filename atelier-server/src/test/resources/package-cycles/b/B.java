package dev.atelier.server.b;

/** Sample for PackageCyclesTest: b uses a by its qualified name; {@link dev.atelier.server.c.C} is only a comment. */
public final class B {
    public static int answer() {
        String text = "dev.atelier.server.c.C is only text";
        return text.length() + new dev.atelier.server.a.A().hashCode();
    }
}
