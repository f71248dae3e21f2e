package io.sluice.network;

import io.sluice.runtime.plan.ChannelId;
import java.util.Objects;

/**
 * One channel of one execution attempt of one job: what a data frame is addressed to. Two attempts of a job have
 * the same {@link ChannelId}s but never equal {@code RemoteChannelId}s, which is what lets a receiver drop the frames
 * of an attempt that has ended instead of handing them to the next one.
 *
 * @param job     the job
 * @param attempt the job's execution attempt (its run's number, as in {@code TaskKey.attempt})
 * @param channel edge, producer subtask and consumer subtask
 */
public record RemoteChannelId(JobId job, int attempt, ChannelId channel) {

    public RemoteChannelId {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(channel, "channel");
        if (attempt < 0) {
            throw new IllegalArgumentException("an attempt number is not negative, was " + attempt);
        }
    }

    /** The same channel in another attempt of the job. */
    public RemoteChannelId inAttempt(int otherAttempt) {
        return new RemoteChannelId(job, otherAttempt, channel);
    }

    /** E.g. {@code channel (edge 1, producer 0, consumer 2) of job 3fa8..., attempt 1}, for messages. */
    @Override
    public String toString() {
        return "channel (edge " + channel.edge() + ", producer " + channel.producer() + ", consumer "
                + channel.consumer() + ") of job " + job + ", attempt " + attempt;
    }
}
