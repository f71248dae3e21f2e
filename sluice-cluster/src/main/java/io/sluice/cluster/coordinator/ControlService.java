package io.sluice.cluster.coordinator;

import io.sluice.cluster.Failures;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.cluster.blob.BlobStore;
import io.sluice.cluster.protocol.ControlMessages.HeartbeatReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterReply;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.ProtoMessage;
import io.sluice.cluster.protocol.Received;
import io.sluice.cluster.protocol.JobMessages.ActionReply;
import io.sluice.cluster.protocol.JobMessages.BlobChunk;
import io.sluice.cluster.protocol.JobMessages.BlobState;
import io.sluice.cluster.protocol.JobMessages.EventKind;
import io.sluice.cluster.protocol.JobMessages.JobList;
import io.sluice.cluster.protocol.JobMessages.JobRef;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's {@code sluice.cluster.Control} service: each call handed to the registry, the blob store or the
 * job table, and their refusals turned into gRPC statuses with the reason (one log line for each refused request).
 * Handlers run on the coordinator's bounded handler pool.
 */
final class ControlService {
    private static final Logger LOG = LoggerFactory.getLogger(ControlService.class);

    private final WorkerRegistry registry;
    private final Coordinator.Settings settings;
    private final WorkerSessions sessions;
    private final Jobs jobs;
    private final BlobStore blobs;
    private final ExecutorService actions;
    /** The REST API's port once it serves, else 0. */
    private final AtomicInteger restPort;

    /**
     * @param actions where job actions (savepoint, stop, cancel) run: a savepoint takes as long as the job's state
     *                takes to write, and must not hold the handler threads that heartbeats and acknowledgements need
     */
    ControlService(WorkerRegistry registry, Coordinator.Settings settings, WorkerSessions sessions, Jobs jobs,
            BlobStore blobs, ExecutorService actions, AtomicInteger restPort) {
        this.restPort = restPort;
        this.actions = actions;
        this.registry = registry;
        this.settings = settings;
        this.sessions = sessions;
        this.jobs = jobs;
        this.blobs = blobs;
    }

    /** A call's work on its request: its answer, or an exception saying why it is refused. */
    @FunctionalInterface
    private interface Answer<Q, R> {
        R apply(Q request) throws Exception;
    }

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(ControlProtocol.SERVICE)
                .addMethod(unary(ControlProtocol.REGISTER, "Register", request -> new RegisterReply(
                        registry.register(request), settings.heartbeatIntervalMillis(), settings.heartbeatTimeoutMillis())))
                .addMethod(unary(ControlProtocol.BEAT, "Beat", beat -> new HeartbeatReply(registry.heartbeat(beat.workerId(),
                        beat.gauges()))))
                .addMethod(unary(ControlProtocol.STATUS, "Status", request -> new StatusReply(
                        registry.status().stream().map(w -> w.withUsedSlots(jobs.usedSlots(w.workerId()))).toList(),
                        restPort.get())))
                .addMethod(unary(ControlProtocol.HAS_BLOB, "HasBlob", q -> new BlobState(blobs.has(q.sha256()),
                        blobs.size(q.sha256()))))
                .addMethod(unary(ControlProtocol.PUT_BLOB, "PutBlob", chunk -> new BlobState(
                        blobs.append(chunk.sha256(), chunk.offset(), chunk.data(), chunk.total()), blobs.size(chunk.sha256()))))
                .addMethod(unary(ControlProtocol.GET_BLOB, "GetBlob", read -> new BlobChunk(read.sha256(), read.offset(),
                        blobs.read(read.sha256(), read.offset()), blobs.size(read.sha256()))))
                .addMethod(unary(ControlProtocol.SUBMIT, "Submit", submit -> new JobRef(jobs.submit(submit.argv(), submit.jars()))))
                .addMethod(unary(ControlProtocol.JOB, "Job", ref -> jobs.info(ref.jobId())))
                .addMethod(unary(ControlProtocol.JOBS, "Jobs", ref -> new JobList(jobs.list())))
                .addMethod(unaryOn(actions, ControlProtocol.ACT, "Act", action -> new ActionReply(switch (action.kind()) {
                    case CANCEL -> {
                        jobs.cancel(action.jobId());
                        yield "";
                    }
                    case SAVEPOINT -> jobs.savepoint(action.jobId(), action.directory(), false);
                    case STOP -> jobs.savepoint(action.jobId(), action.directory(), true);
                })))
                .addMethod(ControlProtocol.served(ControlProtocol.ATTACH), ServerCalls.asyncBidiStreamingCall(AttachedWorker::new))
                .build();
    }

    /** A unary method served by {@code answer}; a request whose bytes are not a message is refused. */
    private static <Q extends ProtoMessage, R> ServerMethodDefinition<Received<Q>, R> unary(MethodDescriptor<Q, R> method,
            String call, Answer<Q, R> answer) {
        return ServerMethodDefinition.create(ControlProtocol.served(method),
                ServerCalls.asyncUnaryCall((request, reply) -> answer(call, request, reply, answer)));
    }

    /** A unary method served by {@code answer} on {@code executor}; refused when that executor is full. */
    private static <Q extends ProtoMessage, R> ServerMethodDefinition<Received<Q>, R> unaryOn(ExecutorService executor,
            MethodDescriptor<Q, R> method, String call, Answer<Q, R> answer) {
        return ServerMethodDefinition.create(ControlProtocol.served(method),
                ServerCalls.asyncUnaryCall((request, reply) -> {
                    try {
                        executor.execute(() -> answer(call, request, reply, answer));
                    } catch (RejectedExecutionException e) {
                        refuse(call, reply, Status.RESOURCE_EXHAUSTED,
                                new IllegalStateException("too many job actions in progress; try again later"));
                    }
                }));
    }

    private static <Q, R> void answer(String call, Received<Q> request, StreamObserver<R> reply, Answer<Q, R> answer) {
        R value;
        try {
            value = answer.apply(request.get());
        } catch (IllegalArgumentException | IOException | Received.MalformedMessageException e) {
            refuse(call, reply, Status.INVALID_ARGUMENT, e);
            return;
        } catch (WorkerRegistry.InstanceRegisteredException e) {
            refuse(call, reply, Status.ALREADY_EXISTS, e); // a process registering twice: its first registration stays
            return;
        } catch (IllegalStateException | JobExecutionException | UnsupportedOperationException e) {
            refuse(call, reply, Status.FAILED_PRECONDITION, e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(call, reply, Status.UNAVAILABLE, e);
            return;
        } catch (Exception e) {
            LOG.error("{} failed", call, e);
            refuse(call, reply, Status.INTERNAL, e);
            return;
        }
        reply.onNext(value);
        reply.onCompleted();
    }

    private static void refuse(String call, StreamObserver<?> reply, Status status, Exception e) {
        String reason = Failures.oneLine(e);
        LOG.info("{} refused: {}", call, reason);
        reply.onError(status.withDescription(reason).asRuntimeException());
    }

    /**
     * One worker's control stream: its first event names it (it must be registered, and have no stream yet), later
     * ones are its jobs' events; when the stream breaks the worker is declared lost. A stream that does not begin so is
     * refused; one that carries a malformed event is ended and its worker declared lost (the coordinator can no
     * longer follow that worker's jobs). Each refusal is one log line and an {@code INVALID_ARGUMENT} or
     * {@code FAILED_PRECONDITION} status to the peer.
     */
    private final class AttachedWorker implements StreamObserver<Received<WorkerEvent>> {
        private final StreamObserver<WorkerCommand> commands;
        private volatile String workerId;
        private volatile boolean refused;

        AttachedWorker(StreamObserver<WorkerCommand> commands) {
            this.commands = commands;
        }

        @Override
        public void onNext(Received<WorkerEvent> received) {
            if (refused) {
                return;
            }
            String id = workerId;
            if (received.malformed() != null) {
                refuse(Status.INVALID_ARGUMENT, (id == null ? "a control stream that" : "the control stream of " + id
                        + ", which") + " sent bytes that are not a worker event (" + received.malformed() + ")");
                return;
            }
            WorkerEvent event = received.message();
            if (id == null) {
                if (event.kind() != EventKind.ATTACH || !registry.isLive(event.workerId())) {
                    refuse(Status.FAILED_PRECONDITION, "a control stream that began with " + event.kind() + " of '"
                            + event.workerId() + "', not the attach of a registered worker");
                    return;
                }
                if (!sessions.attach(event.workerId(), commands)) {
                    refuse(Status.FAILED_PRECONDITION, "a second control stream for " + event.workerId()
                            + ", which has one; the first one stays");
                    return;
                }
                workerId = event.workerId();
                LOG.info("Worker {} attached its control stream", workerId);
                return;
            }
            jobs.onEvent(id, event);
        }

        /** Ends this stream with {@code status}; an attached worker is declared lost. */
        private void refuse(Status status, String reason) {
            refused = true;
            LOG.info("Refused {}", reason);
            gone(reason);
            try {
                synchronized (commands) {
                    commands.onError(status.withDescription(reason).asRuntimeException());
                }
            } catch (RuntimeException e) {
                LOG.debug("Ending a refused control stream failed", e); // it is closed already
            }
        }

        @Override
        public void onError(Throwable t) {
            gone("its control stream broke: " + Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {
            gone("it closed its control stream");
            if (refused) {
                return;
            }
            try {
                synchronized (commands) {
                    commands.onCompleted();
                }
            } catch (RuntimeException e) {
                LOG.debug("Closing a control stream failed", e);
            }
        }

        private void gone(String reason) {
            String id = workerId;
            if (id != null && sessions.detach(id, commands)) {
                registry.remove(id, reason);
            }
        }
    }
}
