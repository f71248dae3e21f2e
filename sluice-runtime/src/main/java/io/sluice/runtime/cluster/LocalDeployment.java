package io.sluice.runtime.cluster;

import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.source.ReaderGateway;
import io.sluice.runtime.source.SplitRequests;

/** Every task of an attempt in this JVM, connected by in-process channels: the embedded cluster. */
final class LocalDeployment implements TaskDeployment {
    private final EngineConfig engine;

    LocalDeployment(EngineConfig engine) {
        this.engine = engine;
    }

    @Override
    public AttemptRun deploy(Attempt attempt) throws Exception {
        SourceReaders readers = new SourceReaders() {
            @Override
            public SplitRequests requests(String uid) {
                return attempt.splitRequests().get(uid);
            }

            @Override
            public void connect(String uid, int subtask, ReaderGateway gateway) {
                attempt.sources().connect(uid, subtask, gateway);
            }
        };
        return HostedTasks.build(attempt.plan(), ChannelProvider.IN_PROCESS, readers, attempt.responder(),
                attempt.checkpointIo(), engine, attempt.progressInterval(), attempt.listener());
    }
}
