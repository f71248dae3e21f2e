package io.sluice.cluster.coordinator;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.protocol.ControlChannels;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.JobMessages.EventKind;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.network.ClusterToken;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker that speaks the control protocol by hand, for tests that hold a spread attempt at a step of their choosing:
 * it registers, attaches its control stream, keeps every task message the coordinator sends it, and answers only what
 * the test tells it to. It runs no tasks and does not beat: its coordinator needs a heartbeat timeout longer than the
 * test. Its data port is never dialed (no task of it runs). {@link #close()} ends its stream and channel, and the
 * coordinator declares it lost. Thread-safe.
 */
final class FakeTaskWorker implements AutoCloseable {
    private final ManagedChannel channel;
    private final String workerId;
    private final StreamObserver<WorkerEvent> events;
    /** What the coordinator sent, in order; filled on gRPC's thread. */
    private final BlockingQueue<TaskMessage> received;

    private FakeTaskWorker(ManagedChannel channel, String workerId, StreamObserver<WorkerEvent> events,
            BlockingQueue<TaskMessage> received) {
        this.channel = channel;
        this.workerId = workerId;
        this.events = events;
        this.received = received;
    }

    /** Registers with {@code slots} slots at the coordinator on loopback {@code port} and attaches. */
    static FakeTaskWorker join(int port, ClusterToken token, int slots) throws IOException {
        ManagedChannel channel = ControlChannels.open("127.0.0.1", port, Optional.empty());
        try {
            var options = ControlChannels.authenticated(token);
            String id = ClientCalls.blockingUnaryCall(channel, ControlProtocol.REGISTER, ControlChannels.call(options),
                    RegisterRequest.newInstance("127.0.0.1", 1, slots, ProcessHandle.current().pid())).workerId();
            BlockingQueue<TaskMessage> inbox = new LinkedBlockingQueue<>();
            StreamObserver<WorkerEvent> out = ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(ControlProtocol.ATTACH, options), new StreamObserver<WorkerCommand>() {
                        @Override
                        public void onNext(WorkerCommand command) {
                            if (command.task() != null) {
                                inbox.add(command.task());
                            }
                        }

                        // The end of the stream: the test sees it as messages that never come (await fails).
                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onCompleted() {}
                    });
            FakeTaskWorker worker = new FakeTaskWorker(channel, id, out, inbox);
            worker.send(WorkerEvent.of(EventKind.ATTACH, id, "", 0, 0, ""));
            return worker;
        } catch (RuntimeException e) {
            ControlChannels.close(channel);
            throw e;
        }
    }

    String workerId() {
        return workerId;
    }

    /**
     * The next message of {@code kind} about {@code job} the coordinator sent, waiting at most {@code millis}; the
     * messages before it of other kinds or jobs are passed over. Fails naming what it waited for.
     */
    TaskMessage await(TaskMessage.Kind kind, String job, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = deadline - System.nanoTime();
            TaskMessage m = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError(workerId + " received no " + kind + " of " + job + " within " + millis + " ms");
            }
            if (m.kind() == kind && m.job().equals(job)) {
                return m;
            }
        }
    }

    /** Whether the coordinator sent any message of {@code kind} about {@code job} not yet passed over by await. */
    boolean hasReceived(TaskMessage.Kind kind, String job) {
        return received.stream().anyMatch(m -> m.kind() == kind && m.job().equals(job));
    }

    /** Reports about the attempt {@code to} belongs to: {@code kind} with {@code text}. */
    void report(TaskMessage to, TaskMessage.Kind kind, String text) {
        send(WorkerEvent.tasks(workerId, TaskMessage.of(kind, to.job(), to.attempt(), -1, -1, 0, text, 0)));
    }

    /**
     * Sends what a worker running a job whole sends about its attempt ({@code RUNNING}, {@code FINISHED},
     * {@code FAILED}), naming {@code job} and {@code attempt}, with {@code text} (a failure's reason).
     */
    void reportWhole(EventKind kind, String job, int attempt, String text) {
        send(WorkerEvent.of(kind, workerId, job, attempt, 0, text));
    }

    private void send(WorkerEvent event) {
        synchronized (events) {
            events.onNext(event);
        }
    }

    @Override
    public void close() {
        try {
            synchronized (events) {
                events.onCompleted();
            }
        } catch (RuntimeException e) {
            // the stream is gone already: the channel goes below
        }
        ControlChannels.close(channel);
    }
}
