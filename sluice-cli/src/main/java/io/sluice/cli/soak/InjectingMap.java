package io.sluice.cli.soak;

import io.sluice.api.functions.MapFunction;

/**
 * Passes record ids on unchanged, telling {@link SoakFaults} how far the job has read (which arms the faults planned
 * at a position) and throwing at {@link FaultKind#MAP_THROW}. Stateless; task thread.
 */
final class InjectingMap implements MapFunction<Long, Long> {
    private final SoakInput input;

    InjectingMap(SoakInput input) {
        this.input = input;
    }

    @Override
    public Long map(Long id) {
        SoakFaults.progress(input.seq(id));
        SoakFaults.maybeFail(FaultKind.MAP_THROW);
        return id;
    }
}
