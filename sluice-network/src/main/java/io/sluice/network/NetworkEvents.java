package io.sluice.network;

import io.sluice.runtime.plan.ChannelId;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one side of the data plane refused or dropped: connections without the cluster token, peers that broke the
 * protocol, data frames of an attempt that has ended or of a channel not open here. Each is counted; a refusal or a
 * violation is logged as one line naming the peer, dropped frames once per job attempt and kind (a flood of them
 * would otherwise flood the log). The last lines are kept for tests and status pages.
 *
 * <p>Thread-safe.
 */
public final class NetworkEvents {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkEvents.class);
    private static final int RECENT = 32;
    /** Past this many distinct job attempts with dropped frames, further ones are counted but not logged. */
    private static final int LOGGED_ONCE_LIMIT = 10_000;

    private volatile String side;
    private final AtomicLong refusedConnections = new AtomicLong();
    private final AtomicLong protocolViolations = new AtomicLong();
    private final AtomicLong staleFrames = new AtomicLong();
    private final AtomicLong unknownChannelFrames = new AtomicLong();
    private final ArrayDeque<String> recent = new ArrayDeque<>(); // guarded by itself
    private final Set<String> loggedOnce = new HashSet<>(); // guarded by itself

    /** @param side what this side is, for the log: e.g. "the data server on 127.0.0.1:4711" */
    NetworkEvents(String side) {
        this.side = side;
    }

    /** Renames the side, once it knows more of itself (a server its bound port). */
    void describeAs(String newSide) {
        this.side = newSide;
    }

    void refused(SocketAddress peer, String reason) {
        refusedConnections.incrementAndGet();
        log(side + " refused the data connection from " + peer + ": " + reason);
    }

    void violation(SocketAddress peer, String message) {
        protocolViolations.incrementAndGet();
        log(side + " closed the data connection with " + peer + ", which broke the protocol: " + message);
    }

    /** A data frame of {@code id}, whose attempt is older than the job's {@code currentAttempt} here: dropped. */
    void staleFrame(RemoteChannelId id, int currentAttempt, SocketAddress peer) {
        staleFrames.incrementAndGet();
        if (firstTime("stale " + id.job() + " " + id.attempt())) {
            log(side + " drops the data frames of job " + id.job() + ", attempt " + id.attempt() + " from " + peer
                    + ": the job's current attempt here is " + currentAttempt + " (first: " + describe(id.channel())
                    + "); further ones are counted, not logged");
        }
    }

    /** A data frame of {@code id}, which is not open on its connection (never opened, or already released). */
    void unknownChannelFrame(RemoteChannelId id, SocketAddress peer) {
        unknownChannelFrames.incrementAndGet();
        if (firstTime("unknown " + id.job() + " " + id.attempt())) {
            log(side + " drops data frames from " + peer + " of channels not open on that connection, first "
                    + id + "; further ones of that attempt are counted, not logged");
        }
    }

    public long refusedConnections() {
        return refusedConnections.get();
    }

    public long protocolViolations() {
        return protocolViolations.get();
    }

    /** Data frames dropped because their attempt had ended here. */
    public long staleFrames() {
        return staleFrames.get();
    }

    /** Data frames dropped because their channel was not open on their connection. */
    public long unknownChannelFrames() {
        return unknownChannelFrames.get();
    }

    /** The last lines logged, oldest first. */
    public List<String> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private boolean firstTime(String key) {
        synchronized (loggedOnce) {
            return loggedOnce.size() < LOGGED_ONCE_LIMIT && loggedOnce.add(key);
        }
    }

    private void log(String line) {
        LOG.warn(line);
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(line);
        }
    }

    private static String describe(ChannelId channel) {
        return "edge " + channel.edge() + ", producer " + channel.producer() + ", consumer " + channel.consumer();
    }
}
