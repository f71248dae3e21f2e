package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.Types;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.plan.ChannelId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry of consumers' ends, without a connection: registrations and the fence between attempts. */
@ExtendWith(LeakDetection.class)
class InputChannelsTest {
    private final JobId job = JobId.random();
    private final InputChannels inputs = new InputChannels();

    private RemoteChannelId channel(int attempt, int consumer) {
        return new RemoteChannelId(job, attempt, new ChannelId(0, 0, consumer));
    }

    @Test
    void aNewerAttemptSupersedesTheOlderOnesAndAnOlderOneCannotRegister() {
        RemoteInputChannel old = inputs.register(channel(0, 0), Types.INT, 2, new Wakeup());
        assertEquals(0, inputs.currentAttempt(job));
        inputs.startAttempt(job, 2);
        assertEquals(2, inputs.currentAttempt(job));
        assertEquals(0, inputs.size(), "the old attempt's channel is released");
        RemoteChannelException e = assertThrows(RemoteChannelException.class, old::poll);
        assertTrue(e.getMessage().contains("superseded by attempt 2"), e.getMessage());
        IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> inputs.register(channel(1, 0), Types.INT, 2, new Wakeup()));
        assertTrue(late.getMessage().contains("attempt 1") && late.getMessage().contains("current attempt here is 2"),
                late.getMessage());
        inputs.startAttempt(job, 1); // an older start changes nothing
        assertEquals(2, inputs.currentAttempt(job));
    }

    @Test
    void aChannelIsRegisteredOnceWithAtLeastOneCredit() {
        inputs.register(channel(0, 1), Types.INT, 1, new Wakeup());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> inputs.register(channel(0, 1), Types.INT, 1, new Wakeup()));
        assertTrue(twice.getMessage().contains("consumer 1") && twice.getMessage().contains("registered already"),
                twice.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> inputs.register(channel(0, 2), Types.INT, 0, new Wakeup()));
        assertTrue(none.getMessage().contains("consumer 2") && none.getMessage().contains("at least one credit"),
                none.getMessage());
    }

    @Test
    void closingAChannelEndsItsRegistrationAndForgettingAJobItsAttempt() {
        RemoteInputChannel in = inputs.register(channel(3, 0), Types.INT, 1, new Wakeup());
        in.close();
        in.close(); // idempotent
        assertNull(in.poll(), "a closed channel has nothing, and no failure");
        assertEquals(0, inputs.size());
        inputs.forgetJob(job);
        assertEquals(-1, inputs.currentAttempt(job));
        inputs.register(channel(0, 0), Types.INT, 1, new Wakeup()).close(); // a forgotten job starts afresh
    }

    @Test
    void closingTheRegistryFailsEveryChannel() {
        RemoteInputChannel in = inputs.register(channel(0, 0), Types.INT, 1, new Wakeup());
        inputs.close();
        RemoteChannelException e = assertThrows(RemoteChannelException.class, in::poll);
        assertTrue(e.getMessage().contains("the data plane of this process shut down"), e.getMessage());
        assertEquals(0, inputs.size());
    }
}
