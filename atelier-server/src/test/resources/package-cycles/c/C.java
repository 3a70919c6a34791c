package dev.atelier.server.c;

import dev.atelier.server.a.*;

/** Sample for PackageCyclesTest: c uses a (on demand), and nothing uses c. */
public final class C {
}
