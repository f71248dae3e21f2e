package io.sluice.cluster.coordinator;

import io.grpc.stub.StreamObserver;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control stream of each attached worker, where the coordinator sends it commands. A stream is written by one
 * thread at a time (gRPC's rule), in the order commands are sent. Thread-safe.
 */
final class WorkerSessions {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerSessions.class);

    private final Map<String, StreamObserver<WorkerCommand>> streams = new ConcurrentHashMap<>();

    /**
     * Makes {@code stream} the worker's control stream; {@code false} if it has one already (a worker attaches once
     * per registration: a second stream is never let take the first one's place).
     */
    boolean attach(String workerId, StreamObserver<WorkerCommand> stream) {
        return streams.putIfAbsent(workerId, stream) == null;
    }

    /** Forgets a worker's stream; {@code true} if it had one. */
    boolean detach(String workerId, StreamObserver<WorkerCommand> stream) {
        return streams.remove(workerId, stream);
    }

    /** Forgets and ends a worker's stream (the worker was declared lost). */
    void drop(String workerId) {
        StreamObserver<WorkerCommand> stream = streams.remove(workerId);
        if (stream != null) {
            close(stream);
        }
    }

    boolean isAttached(String workerId) {
        return streams.containsKey(workerId);
    }

    List<String> attached() {
        return List.copyOf(streams.keySet());
    }

    /** Sends a command; {@code false} if the worker has no stream (any more) or sending failed. */
    boolean send(String workerId, WorkerCommand command) {
        StreamObserver<WorkerCommand> stream = streams.get(workerId);
        if (stream == null) {
            return false;
        }
        try {
            synchronized (stream) {
                stream.onNext(command);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Sending {} of job {} to {} failed: {}", command.kind(), command.jobId(), workerId, e.toString());
            return false;
        }
    }

    private static void close(StreamObserver<WorkerCommand> stream) {
        try {
            synchronized (stream) {
                stream.onCompleted();
            }
        } catch (RuntimeException e) {
            LOG.debug("Closing a worker's control stream failed", e); // it is gone already
        }
    }
}
