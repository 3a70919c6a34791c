package dev.atelier.workers.builtins;

/** One built-in component's program: reads its options, then its inputs, and writes its outputs. */
interface Builtin {
    /**
     * Runs the component.
     *
     * @throws dev.atelier.workers.table.TableException for input it cannot work with, naming the option, column or row
     */
    void run(Arguments arguments) throws Exception;
}
