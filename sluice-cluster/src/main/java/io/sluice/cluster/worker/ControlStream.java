package io.sluice.cluster.worker;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.JobMessages.EventKind;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's control stream to its coordinator, for one registration: opened with the worker's id, it delivers the
 * coordinator's commands in order to one handler (on gRPC's thread, one at a time) and carries the worker's events
 * back. Events are sent one at a time (gRPC's rule for a stream). When the stream breaks, {@code onBroken} runs once.
 */
final class ControlStream {
    private static final Logger LOG = LoggerFactory.getLogger(ControlStream.class);

    private final String workerId;
    /** Set once, right after the call starts (before any event is sent). */
    private volatile StreamObserver<WorkerEvent> events;
    private volatile boolean broken;

    private ControlStream(String workerId) {
        this.workerId = workerId;
    }

    /** Opens the stream and attaches as {@code workerId}. No deadline: it lives as long as the registration. */
    static ControlStream open(ManagedChannel channel, CallOptions options, String workerId,
            Consumer<WorkerCommand> commands, Runnable onBroken) {
        ClientCall<WorkerEvent, WorkerCommand> call = channel.newCall(ControlProtocol.ATTACH, options);
        ControlStream self = new ControlStream(workerId);
        self.events = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {
            @Override
            public void onNext(WorkerCommand command) {
                commands.accept(command);
            }

            @Override
            public void onError(Throwable t) {
                self.breakOnce("broke: " + t.getMessage(), onBroken);
            }

            @Override
            public void onCompleted() {
                self.breakOnce("was closed by the coordinator", onBroken);
            }
        });
        self.send(WorkerEvent.of(EventKind.ATTACH, workerId, "", 0, 0, ""));
        return self;
    }

    String workerId() {
        return workerId;
    }

    /** Sends an event; dropped (logged) once the stream is broken: the coordinator no longer counts on this worker. */
    void send(WorkerEvent event) {
        if (broken) {
            LOG.info("{} of job {} not sent: the control stream is closed", event.kind(), event.jobId());
            return;
        }
        StreamObserver<WorkerEvent> out = events;
        try {
            synchronized (out) {
                out.onNext(event);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sending {} of job {} failed: {}", event.kind(), event.jobId(), e.toString());
        }
    }

    /**
     * Sends an event only if the stream can take it without buffering (gRPC's flow control says it is ready), else
     * drops it: for measurements, which the next one replaces, so nothing queues up behind a slow coordinator.
     */
    void offer(WorkerEvent event) {
        StreamObserver<WorkerEvent> out = events;
        if (broken || (out instanceof io.grpc.stub.CallStreamObserver<WorkerEvent> c && !c.isReady())) {
            LOG.debug("{} of job {} dropped: the control stream has no room now", event.kind(), event.jobId());
            return;
        }
        send(event);
    }

    /** Ends the stream from this side. */
    void close() {
        broken = true;
        StreamObserver<WorkerEvent> out = events;
        try {
            synchronized (out) {
                out.onCompleted();
            }
        } catch (RuntimeException e) {
            LOG.debug("Closing the control stream failed", e);
        }
    }

    private synchronized void breakOnce(String how, Runnable onBroken) {
        if (broken) {
            return;
        }
        broken = true;
        LOG.warn("The control stream of {} {}", workerId, how);
        onBroken.run();
    }
}
