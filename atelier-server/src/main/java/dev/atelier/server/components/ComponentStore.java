package dev.atelier.server.components;

/** Registered component versions. Implementations are thread-safe. */
interface ComponentStore {
}
