package io.sluice.api.state;

/**
 * A single value per key.
 *
 * <p><b>Changing a value in place.</b> The rule, the same on every state backend:
 * <ul>
 *   <li>A value read with {@link #value()} may be changed by the caller, and the change is part of the state once it
 *       is written back with {@link #update}: from then on every read, checkpoint and savepoint has it, on every
 *       backend. Read, change, {@code update} is the way to change a value; it copies nothing.
 *   <li>A change that is not written back has no defined effect: later reads, checkpoints and savepoints may see it
 *       or not, depending on the backend (the heap backend hands out the stored object, RocksDB a deserialized copy).
 *       Never rely on either.
 *   <li>An object passed to {@link #update} belongs to the state from then on: change it only to pass it to
 *       {@code update} again.
 *   <li>A checkpoint or savepoint holds the state as it was at its barrier: nothing done afterwards reaches it, in
 *       place or not.
 * </ul>
 * Why the undefined case is not made defined: either backend would have to copy a value of a mutable type on every
 * read (or the heap backend serialize it on every update), an allocation per record in hot paths such as merging
 * window sets, reducers and accumulators. The same rule holds for the objects got from the other kinds of state (list
 * elements, map keys and values, reduced values, accumulators): a change counts once written back with
 * {@code update}, {@code add} or {@code put}.
 */
public interface ValueState<T> extends State {

    /** The value of the current key, or the descriptor's default when none was set (or it expired). */
    T value();

    /** Sets the value of the current key; {@code null} clears it. */
    void update(T value);
}
