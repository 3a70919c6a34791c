/**
 * The designer's built-in components: their documents and their registration in every workspace. Their code is
 * atelier-workers' {@code dev.atelier.workers.builtins}, run in the {@code atelier} environment.
 */
package dev.atelier.server.components.builtin;
