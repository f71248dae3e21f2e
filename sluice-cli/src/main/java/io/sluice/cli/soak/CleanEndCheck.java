package io.sluice.cli.soak;

import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A finished job leaves no transaction in progress (every one committed or aborted) and no completed checkpoint (a
 * job that finishes deletes its checkpoints).
 */
final class CleanEndCheck implements RoundCheck {
    @Override
    public Optional<String> check(FinishedRound round) throws IOException {
        Path output = SoakJob.outputDir(round.roundDir());
        List<Path> inProgress = Files.isDirectory(output) ? TransactionalFileSink.inProgressFiles(output) : List.of();
        if (!inProgress.isEmpty()) {
            return Optional.of(inProgress.size() + " in-progress sink files left after the job finished, e.g. "
                    + inProgress.getFirst().getFileName());
        }
        Path checkpoints = SoakJob.checkpointDir(round.roundDir());
        List<Long> left = Files.isDirectory(checkpoints) ? new FileSystemCheckpointStorage(checkpoints).completedCheckpointIds()
                : List.of();
        return left.isEmpty() ? Optional.empty()
                : Optional.of("completed checkpoints " + left + " left after the job finished (a finished job deletes them)");
    }
}
