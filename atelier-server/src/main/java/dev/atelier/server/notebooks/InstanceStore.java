package dev.atelier.server.notebooks;

import java.util.List;
import java.util.Optional;

/**
 * Compute instances of every workspace. Implementations are thread-safe; each call is one transaction.
 * <p>
 * Several servers share the table. A started instance is run by one server, its <em>runner</em>, which holds a lease
 * it renews; the conditional writes below ({@link #claim}, {@link #markRunning}, {@link #reap}, {@link #claimSchedules})
 * decide between servers racing for the same instance, each in one statement.
 */
public interface InstanceStore {
    /** @return false when the workspace already has an instance of that name (created with no runner, its schedules checked up to its creation) */
    boolean create(ComputeInstance instance);

    /**
     * Makes {@code runner} the instance's server and its state Creating, when no server runs it: it is Stopped or
     * Failed, has no runner yet, or its runner's lease ran out before {@code at}.
     *
     * @return false when another server runs it (or it does not exist)
     */
    boolean claim(String workspace, String name, String runner, long leaseUntil, long at);

    /** Creating → Running, when {@code runner} still runs it. */
    boolean markRunning(String workspace, String name, String runner, long at);

    /** Moves the lease of every instance {@code runner} runs (not Stopped nor Failed) to {@code leaseUntil}. */
    void renew(String runner, long leaseUntil);

    /** The instances that are neither Stopped nor Failed and whose lease ran out before {@code at}. */
    List<ComputeInstance> lapsed(long at);

    /** Marks a lapsed instance Stopped with {@code message}; false when its runner renewed it, or it stopped, meanwhile. */
    boolean reap(String workspace, String name, long at, String message);

    /** Who runs the instance now: empty when no server does (it is Stopped, Failed or gone). */
    Optional<String> runner(String workspace, String name);

    /**
     * Moves the instance's schedules check from {@code since} to {@code until}: the caller applies the fires of
     * {@code (since, until]}, and no other server does.
     *
     * @return false when another server moved it first
     */
    boolean claimSchedules(String workspace, String name, long since, long until);

    /** Up to when the instance's schedules were applied (its creation at first). */
    long schedulesCheckedAt(String workspace, String name);

    Optional<ComputeInstance> get(String workspace, String name);

    /** The workspace's instances by name. */
    List<ComputeInstance> list(String workspace);

    /** Every instance of every workspace (the schedules and idle checks walk them). */
    List<ComputeInstance> listAll();

    /** @return false when it does not exist */
    boolean setState(String workspace, String name, InstanceState state, Optional<String> message, long at);

    /** Records activity at {@code at} when later than what is stored. */
    void recordActivity(String workspace, String name, long at);

    boolean delete(String workspace, String name);
}
