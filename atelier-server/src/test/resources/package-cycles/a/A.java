package dev.atelier.server.a;

import static dev.atelier.server.b.B.answer;

/** Sample for PackageCyclesTest: a uses b through a static import. */
public final class A {
    int value = answer();
}
