package io.sluice.cli.soak;

/**
 * What a round's plan is derived with besides its seed: the input size and a deliberately broken sink, both internal
 * (for the soak's own tests; hidden command-line options). A replay must use the same variant, so its options are part
 * of the replay command.
 *
 * @param scale     multiplies the number of records, at the same rate (1: the real soak; tests use tiny inputs)
 * @param breakSink the sink drops every line of one key: a round that must fail (proves failures are reported)
 */
public record SoakVariant(double scale, boolean breakSink) {
    public static final SoakVariant STANDARD = new SoakVariant(1, false);

    public SoakVariant {
        if (!(scale > 0 && scale <= 100)) {
            throw new IllegalArgumentException("scale must be in (0, 100], was " + scale);
        }
    }

    /** The command-line options that select this variant ("" for the standard one), each with a leading space. */
    public String options() {
        return (scale == 1 ? "" : " --scale " + scale) + (breakSink ? " --break-sink" : "");
    }
}
