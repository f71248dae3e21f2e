package io.sluice.network;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.channel.Wakeup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The consumers' ends of the remote channels of one process, and the fence between a job's attempts. Deployment
 * {@linkplain #register registers} a channel before or after its producer opens it: an opening that comes first waits
 * here (bounded per connection) until the registration, and then the channel is bound to the opening's connection and
 * grants its credits. The newest attempt of a job registered here is its current attempt: registering a newer one
 * releases every channel of the older ones (their senders are told, their consumers fail), and the data frames of an
 * older attempt are dropped and counted, never delivered.
 *
 * <p>Thread-safe: deployment threads register and release, event loops open and look up. One lock, taken per
 * registration and opening, never per data frame (connections keep the channels bound to them).
 */
public final class InputChannels implements AutoCloseable {
    private final Map<RemoteChannelId, RemoteInputChannel> channels = new HashMap<>(); // guarded by this
    private final Map<RemoteChannelId, ServerConnection> pendingOpens = new HashMap<>(); // guarded by this
    private final Map<ServerConnection, Integer> pendingPerConnection = new HashMap<>(); // guarded by this
    private final Map<JobId, Integer> currentAttempts = new HashMap<>(); // guarded by this
    private final NetworkBufferPool pool;
    private final int maxRecordBytes;

    /** A registry whose channels reserve their credits in a pool of their own, as {@link NetworkConfig#defaults()}. */
    public InputChannels() {
        this(NetworkBufferPool.of(NetworkConfig.defaults()), NetworkConfig.DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * A registry whose channels reserve their credits in {@code pool} (the process's, shared with its
     * {@link ConnectionManager}) and put together elements of up to {@code maxRecordBytes}.
     */
    public InputChannels(NetworkBufferPool pool, int maxRecordBytes) {
        this.pool = pool;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The pool the channels registered here reserve their credits in. */
    public NetworkBufferPool pool() {
        return pool;
    }

    /**
     * Registers the consumer's end of channel {@code id}, which reserves {@code credits} buffers of the pool (what
     * its sender may have in flight) and wakes {@code consumer} when an element arrives. A newer attempt than the
     * job's current one here becomes current, and the channels of older attempts are released.
     *
     * @throws InsufficientNetworkBuffersException if the pool has fewer than {@code credits} buffers free
     * @throws IllegalStateException               if {@code id} is registered already, or its attempt is older than
     *                                             the job's current attempt here
     */
    public RemoteInputChannel register(RemoteChannelId id, TypeSerializer<?> serializer, int credits, Wakeup consumer) {
        return register(id, serializer, credits, FloatingBuffers.NONE, consumer);
    }

    /**
     * As {@link #register(RemoteChannelId, TypeSerializer, int, Wakeup)}, the channel borrowing {@code floating}, its
     * consuming task's floating buffers, while its sender waits for credit (see {@link FloatingBuffers}).
     */
    public RemoteInputChannel register(RemoteChannelId id, TypeSerializer<?> serializer, int credits,
            FloatingBuffers floating, Wakeup consumer) {
        if (credits < 1) {
            throw new IllegalArgumentException("a remote channel needs at least one credit, " + id + " was given "
                    + credits);
        }
        startAttempt(id.job(), id.attempt(), id); // older attempts' buffers go back before this channel reserves
        ServerConnection opener;
        List<RemoteInputChannel> superseded;
        RemoteInputChannel channel;
        synchronized (this) {
            superseded = advanceAttempt(id.job(), id.attempt(), id);
            if (channels.containsKey(id)) {
                throw new IllegalStateException(id + " is registered already");
            }
            channel = new RemoteInputChannel(id, new ChannelCodec(serializer), credits, floating, consumer, this,
                    pool, maxRecordBytes); // reserves its credits, or throws and nothing is registered
            channels.put(id, channel);
            opener = takePending(id);
        }
        supersede(superseded, id.attempt());
        if (opener != null) {
            opener.bindLater(channel);
        }
        return channel;
    }

    /**
     * Makes {@code attempt} the job's current attempt here (if it is newer), releasing the channels of older ones,
     * before any channel of the new attempt is registered: frames of the old attempt still in flight are dropped from
     * then on.
     */
    public void startAttempt(JobId job, int attempt) {
        startAttempt(job, attempt, null);
    }

    private void startAttempt(JobId job, int attempt, RemoteChannelId registering) {
        List<RemoteInputChannel> superseded;
        synchronized (this) {
            superseded = advanceAttempt(job, attempt, registering);
        }
        supersede(superseded, attempt);
    }

    /**
     * The job ended here: its attempt is forgotten and its waiting openings refused. Its channels' consumers close
     * them as they end; call this after they did.
     */
    public void forgetJob(JobId job) {
        synchronized (this) {
            currentAttempts.remove(job);
            refusePending(id -> id.job().equals(job), CloseReason.RELEASED);
        }
    }

    /**
     * Attempt {@code attempt} of the job ended here: as {@link #forgetJob}, unless a newer attempt is current already
     * (its channels and their openings stay).
     */
    public void forgetAttempt(JobId job, int attempt) {
        synchronized (this) {
            Integer current = currentAttempts.get(job);
            if (current != null && current > attempt) {
                return;
            }
            currentAttempts.remove(job);
            refusePending(id -> id.job().equals(job) && id.attempt() <= attempt, CloseReason.RELEASED);
        }
    }

    /** The job's current attempt here, or -1 if none of its channels was ever registered. */
    public synchronized int currentAttempt(JobId job) {
        return currentAttempts.getOrDefault(job, -1);
    }

    /** How many channels are registered (for tests and status). */
    public synchronized int size() {
        return channels.size();
    }

    /** Makes {@code attempt} current; {@code registering}, if not {@code null}, must not be older. */
    private static void supersede(List<RemoteInputChannel> channels, int attempt) {
        for (RemoteInputChannel c : channels) {
            c.release(CloseReason.SUPERSEDED, new RemoteChannelException(c.id() + " was superseded by attempt "
                    + attempt + " of the job"));
        }
    }

    /**
     * Releases every channel (their senders are told, their consumers fail) and refuses every waiting opening: the
     * process's data plane shuts down. Registering after this is allowed but pointless.
     */
    @Override
    public void close() {
        List<RemoteInputChannel> all;
        synchronized (this) {
            all = new ArrayList<>(channels.values());
            channels.clear();
            refusePending(id -> true, CloseReason.RELEASED);
        }
        for (RemoteInputChannel c : all) {
            c.release(CloseReason.RELEASED, new RemoteChannelException(c.id() + " was released: the data plane of"
                    + " this process shut down"));
        }
    }

    private List<RemoteInputChannel> advanceAttempt(JobId job, int attempt, RemoteChannelId registering) {
        int current = currentAttempts.getOrDefault(job, -1);
        if (attempt <= current) {
            if (registering != null && attempt < current) {
                throw new IllegalStateException("cannot register " + registering + ": the job's current attempt here is "
                        + current);
            }
            return List.of();
        }
        currentAttempts.put(job, attempt);
        List<RemoteInputChannel> superseded = new ArrayList<>();
        for (Iterator<RemoteInputChannel> it = channels.values().iterator(); it.hasNext(); ) {
            RemoteInputChannel c = it.next();
            if (c.id().job().equals(job) && c.id().attempt() < attempt) {
                superseded.add(c);
                it.remove();
            }
        }
        refusePending(id -> id.job().equals(job) && id.attempt() < attempt, CloseReason.STALE_ATTEMPT);
        return superseded;
    }

    private void refusePending(Predicate<RemoteChannelId> which, CloseReason reason) {
        for (Iterator<Map.Entry<RemoteChannelId, ServerConnection>> it = pendingOpens.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<RemoteChannelId, ServerConnection> e = it.next();
            if (which.test(e.getKey())) {
                it.remove();
                decrementPending(e.getValue());
                e.getValue().refuseLater(e.getKey(), reason);
            }
        }
    }

    /** The outcome of a producer's opening: bind this channel, wait for its registration, or refuse. */
    sealed interface Opening {
        record Bind(RemoteInputChannel channel) implements Opening {}

        record Pending() implements Opening {}

        record Refuse(CloseReason reason) implements Opening {}
    }

    /**
     * Event loop of {@code from}: a producer opened {@code id} on {@code from}.
     *
     * @throws ProtocolViolation if {@code from} already has its limit of openings waiting
     */
    synchronized Opening open(RemoteChannelId id, ServerConnection from, int maxPending) {
        if (id.attempt() < currentAttempts.getOrDefault(id.job(), -1)) {
            return new Opening.Refuse(CloseReason.STALE_ATTEMPT);
        }
        RemoteInputChannel channel = channels.get(id);
        if (channel != null) {
            return new Opening.Bind(channel);
        }
        if (pendingOpens.containsKey(id)) {
            return new Opening.Refuse(CloseReason.DUPLICATE);
        }
        int pending = pendingPerConnection.getOrDefault(from, 0);
        if (pending >= maxPending) {
            throw new ProtocolViolation("more than " + maxPending + " channel openings waiting for their receivers");
        }
        pendingOpens.put(id, from);
        pendingPerConnection.put(from, pending + 1);
        return new Opening.Pending();
    }

    /** The job's current attempt here if {@code id} belongs to an older one (its frames are stale), else -1. */
    synchronized int staleAgainst(RemoteChannelId id) {
        int current = currentAttempts.getOrDefault(id.job(), -1);
        return id.attempt() < current ? current : -1;
    }

    /** The consumer released {@code channel}. */
    synchronized void unregister(RemoteInputChannel channel) {
        channels.remove(channel.id(), channel);
    }

    /** Event loop: {@code connection} closed; its openings no longer wait. */
    synchronized void connectionClosed(ServerConnection connection) {
        if (pendingPerConnection.remove(connection) != null) {
            pendingOpens.values().removeIf(c -> c == connection);
        }
    }

    private ServerConnection takePending(RemoteChannelId id) {
        ServerConnection opener = pendingOpens.remove(id);
        if (opener != null) {
            decrementPending(opener);
        }
        return opener;
    }

    private void decrementPending(ServerConnection connection) {
        pendingPerConnection.computeIfPresent(connection, (c, n) -> n == 1 ? null : n - 1);
    }
}
