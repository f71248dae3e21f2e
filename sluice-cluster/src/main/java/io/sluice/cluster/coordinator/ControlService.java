package io.sluice.cluster.coordinator;

import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.cluster.blob.BlobStore;
import io.sluice.cluster.protocol.ControlMessages.HeartbeatReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterReply;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.JobMessages.ActionReply;
import io.sluice.cluster.protocol.JobMessages.BlobChunk;
import io.sluice.cluster.protocol.JobMessages.BlobState;
import io.sluice.cluster.protocol.JobMessages.EventKind;
import io.sluice.cluster.protocol.JobMessages.JobList;
import io.sluice.cluster.protocol.JobMessages.JobRef;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import java.io.IOException;
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

    ControlService(WorkerRegistry registry, Coordinator.Settings settings, WorkerSessions sessions, Jobs jobs,
            BlobStore blobs) {
        this.registry = registry;
        this.settings = settings;
        this.sessions = sessions;
        this.jobs = jobs;
        this.blobs = blobs;
    }

    /** A call's work: its answer, or an exception saying why it is refused. */
    @FunctionalInterface
    private interface Answer<R> {
        R get() throws Exception;
    }

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(ControlProtocol.SERVICE)
                .addMethod(ControlProtocol.REGISTER, ServerCalls.asyncUnaryCall((request, reply) -> answer("Register", reply,
                        () -> new RegisterReply(registry.register(request), settings.heartbeatIntervalMillis(),
                                settings.heartbeatTimeoutMillis()))))
                .addMethod(ControlProtocol.BEAT, ServerCalls.asyncUnaryCall((beat, reply) -> answer("Beat", reply,
                        () -> new HeartbeatReply(registry.heartbeat(beat.workerId())))))
                .addMethod(ControlProtocol.STATUS, ServerCalls.asyncUnaryCall((request, reply) -> answer("Status", reply,
                        () -> new StatusReply(registry.status()))))
                .addMethod(ControlProtocol.HAS_BLOB, ServerCalls.asyncUnaryCall((q, reply) -> answer("HasBlob", reply,
                        () -> new BlobState(blobs.has(q.sha256()), blobs.size(q.sha256())))))
                .addMethod(ControlProtocol.PUT_BLOB, ServerCalls.asyncUnaryCall((chunk, reply) -> answer("PutBlob", reply,
                        () -> new BlobState(blobs.append(chunk.sha256(), chunk.offset(), chunk.data(), chunk.total()),
                                blobs.size(chunk.sha256())))))
                .addMethod(ControlProtocol.GET_BLOB, ServerCalls.asyncUnaryCall((read, reply) -> answer("GetBlob", reply,
                        () -> new BlobChunk(read.sha256(), read.offset(), blobs.read(read.sha256(), read.offset()),
                                blobs.size(read.sha256())))))
                .addMethod(ControlProtocol.SUBMIT, ServerCalls.asyncUnaryCall((submit, reply) -> answer("Submit", reply,
                        () -> new JobRef(jobs.submit(submit.argv(), submit.jars())))))
                .addMethod(ControlProtocol.JOB, ServerCalls.asyncUnaryCall((ref, reply) -> answer("Job", reply,
                        () -> jobs.info(ref.jobId()))))
                .addMethod(ControlProtocol.JOBS, ServerCalls.asyncUnaryCall((ref, reply) -> answer("Jobs", reply,
                        () -> new JobList(jobs.list()))))
                .addMethod(ControlProtocol.ACT, ServerCalls.asyncUnaryCall((action, reply) -> answer("Act", reply,
                        () -> new ActionReply(switch (action.kind()) {
                            case CANCEL -> {
                                jobs.cancel(action.jobId());
                                yield "";
                            }
                            case SAVEPOINT -> jobs.savepoint(action.jobId(), action.directory(), false);
                            case STOP -> jobs.savepoint(action.jobId(), action.directory(), true);
                        }))))
                .addMethod(ControlProtocol.ATTACH, ServerCalls.asyncBidiStreamingCall(AttachedWorker::new))
                .build();
    }

    private static <R> void answer(String call, StreamObserver<R> reply, Answer<R> answer) {
        R value;
        try {
            value = answer.get();
        } catch (IllegalArgumentException | IOException e) {
            refuse(call, reply, Status.INVALID_ARGUMENT, e);
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
        String reason = Jobs.oneLine(e);
        LOG.info("{} refused: {}", call, reason);
        reply.onError(status.withDescription(reason).asRuntimeException());
    }

    /**
     * One worker's control stream: its first event names it (it must be registered), later ones are its jobs'
     * events; when the stream breaks the worker is declared lost.
     */
    private final class AttachedWorker implements StreamObserver<WorkerEvent> {
        private final StreamObserver<WorkerCommand> commands;
        private volatile String workerId;

        AttachedWorker(StreamObserver<WorkerCommand> commands) {
            this.commands = commands;
        }

        @Override
        public void onNext(WorkerEvent event) {
            String id = workerId;
            if (id == null) {
                if (event.kind() != EventKind.ATTACH || !registry.isLive(event.workerId())) {
                    LOG.info("A control stream refused: it began with {} of '{}', not the attach of a live worker",
                            event.kind(), event.workerId());
                    throw new StatusRuntimeException(Status.FAILED_PRECONDITION.withDescription(
                            "a control stream begins with the attach of a registered worker"));
                }
                workerId = event.workerId();
                sessions.attach(workerId, commands);
                LOG.info("Worker {} attached its control stream", workerId);
                return;
            }
            jobs.onEvent(id, event);
        }

        @Override
        public void onError(Throwable t) {
            gone("its control stream broke: " + Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {
            gone("it closed its control stream");
            try {
                commands.onCompleted();
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
