package io.sluice.cluster.coordinator;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.protocol.ControlChannels;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.JobMessages.CommandKind;
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
 * test. Its data port is never dialed (no task of it runs). It also keeps the commands about jobs run whole on a
 * worker ({@code DEPLOY}, {@code SAVEPOINT}, ...), for tests of a coordinator that places them so. {@link #close()}
 * ends its stream and channel, and the coordinator declares it lost. Thread-safe.
 */
final class FakeTaskWorker implements AutoCloseable {
    /** Settings for the coordinator such workers join, on loopback: they do not beat, so a timeout no test reaches. */
    static final Coordinator.Settings NO_EXPIRY = new Coordinator.Settings("127.0.0.1", 0, 100, 600_000);
    /** How long a test waits for what the coordinator sends or shows: far longer than it takes, within 60 s. */
    static final long WAIT_MILLIS = 20_000;

    private final ManagedChannel channel;
    private final String workerId;
    private final StreamObserver<WorkerEvent> events;
    /** What the coordinator sent to tasks, in order; filled on gRPC's thread. */
    private final BlockingQueue<TaskMessage> received;
    /** The commands about whole jobs the coordinator sent, in order; filled on gRPC's thread. */
    private final BlockingQueue<WorkerCommand> commands;

    private FakeTaskWorker(ManagedChannel channel, String workerId, StreamObserver<WorkerEvent> events,
            BlockingQueue<TaskMessage> received, BlockingQueue<WorkerCommand> commands) {
        this.channel = channel;
        this.workerId = workerId;
        this.events = events;
        this.received = received;
        this.commands = commands;
    }

    /** Registers with {@code slots} slots at the coordinator on loopback {@code port} and attaches. */
    static FakeTaskWorker join(int port, ClusterToken token, int slots) throws IOException {
        ManagedChannel channel = ControlChannels.open("127.0.0.1", port, Optional.empty());
        try {
            var options = ControlChannels.authenticated(token);
            String id = ClientCalls.blockingUnaryCall(channel, ControlProtocol.REGISTER, ControlChannels.call(options),
                    RegisterRequest.newInstance("127.0.0.1", 1, slots, ProcessHandle.current().pid())).workerId();
            BlockingQueue<TaskMessage> inbox = new LinkedBlockingQueue<>();
            BlockingQueue<WorkerCommand> whole = new LinkedBlockingQueue<>();
            StreamObserver<WorkerEvent> out = ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(ControlProtocol.ATTACH, options), new StreamObserver<WorkerCommand>() {
                        @Override
                        public void onNext(WorkerCommand command) {
                            if (command.task() != null) {
                                inbox.add(command.task());
                            } else {
                                whole.add(command);
                            }
                        }

                        // The end of the stream: the test sees it as messages that never come (await fails).
                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onCompleted() {}
                    });
            FakeTaskWorker worker = new FakeTaskWorker(channel, id, out, inbox, whole);
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
        return next(received, m -> m.kind() == kind && m.job().equals(job), kind + " of " + job, millis);
    }

    /**
     * The next command of {@code kind} about whole job {@code job} the coordinator sent, waiting at most
     * {@code millis}; the commands before it of other kinds or jobs are passed over. Fails naming what it waited for.
     */
    WorkerCommand awaitCommand(CommandKind kind, String job, long millis) throws InterruptedException {
        return next(commands, c -> c.kind() == kind && c.jobId().equals(job), "command " + kind + " of " + job, millis);
    }

    /** The next element of {@code queue} that {@code wanted} says, within {@code millis}; fails naming {@code what}. */
    private <T> T next(BlockingQueue<T> queue, java.util.function.Predicate<T> wanted, String what, long millis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = deadline - System.nanoTime();
            T m = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError(workerId + " received no " + what + " within " + millis + " ms");
            }
            if (wanted.test(m)) {
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

    /**
     * Answers savepoint request {@code request} ({@code SAVEPOINT_DONE} with the path, or {@code SAVEPOINT_FAILED}
     * with why) naming {@code job} and {@code attempt}: what a worker running a job whole sends, whether or not it
     * was the worker asked.
     */
    void answerSavepoint(EventKind kind, String job, int attempt, long request, String text) {
        send(WorkerEvent.of(kind, workerId, job, attempt, request, text));
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
